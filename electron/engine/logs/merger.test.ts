import { describe, expect, it } from 'vitest';
import { Merger } from './merger';

const T0 = 1_800_000_000_000;
/** A normalized line key `ms` after T0. */
const ts = (ms: number) => new Date(T0 + ms).toISOString().replace('Z', '000000Z');

describe('Merger', () => {
  it('with no word from the other stream, releases in timestamp order after the cap', () => {
    const m = new Merger<string>({ capMs: 100 });
    // Lines of history (a tail): their delay says nothing about how fast fresh lines come.
    m.push('a', ts(3), 'a3', T0 + 10_000);
    m.push('b', ts(1), 'b1', T0 + 10_010);
    m.push('a', ts(2), 'a2', T0 + 10_020);
    expect(m.release(T0 + 10_050, ['a', 'b', 'c'])).toEqual([]);
    expect(m.nextDue(T0 + 10_050, ['a', 'b', 'c'])).toBe(T0 + 10_100);
    expect(m.release(T0 + 10_100, ['a', 'b', 'c'])).toEqual(['b1', 'a2', 'a3']);
    expect(m.size).toBe(0);
  });

  it('holds nothing with one stream, keeping arrival order', () => {
    const m = new Merger<string>();
    m.push('a', ts(2), 'x', T0);
    m.push('a', ts(1), 'y', T0);
    expect(m.nextDue(T0, ['a'])).toBe(T0);
    expect(m.release(T0, ['a'])).toEqual(['x', 'y']);
  });

  it('keeps equal timestamps in arrival order and releases all on demand', () => {
    const m = new Merger<string>();
    m.push('a', ts(5), '1', T0);
    m.push('b', ts(5), '2', T0);
    m.push('c', ts(4), '0', T0);
    expect(m.release(T0 + 1, ['a', 'b', 'c'], true)).toEqual(['0', '1', '2']);
  });

  it('releases a line once every other following stream delivered a later one', () => {
    const m = new Merger<string>({ capMs: 1000 });
    m.push('a', ts(100), 'a100', T0 + 10_000);
    m.push('b', ts(90), 'b90', T0 + 10_001);
    // b passed 90 only: a100 must wait for b, b90 need not wait for a (a is at 100 already).
    expect(m.release(T0 + 10_002, ['a', 'b'])).toEqual(['b90']);
    m.push('b', ts(100), 'b100', T0 + 10_003);
    expect(m.nextDue(T0 + 10_003, ['a', 'b'])).toBe(T0 + 10_003);
    expect(m.release(T0 + 10_003, ['a', 'b'])).toEqual(['a100', 'b100']);
  });

  it('a stream that is not following (reconnecting, ended) holds nothing back', () => {
    const m = new Merger<string>({ capMs: 1000 });
    m.push('a', ts(100), 'a100', T0 + 10_000);
    m.push('b', ts(110), 'b110', T0 + 10_000);
    expect(m.release(T0 + 10_001, ['a', 'b', 'c'])).toEqual([]);
    expect(m.release(T0 + 10_001, ['a', 'b'])).toEqual(['a100']);
  });

  it('judges a quiet stream by the delay fresh lines have taken, plus the margin', () => {
    const m = new Merger<string>({ capMs: 75, slackMs: 10 });
    // Fresh lines of both streams arrived 4 ms after their timestamps.
    m.push('a', ts(0), 'a0', T0 + 4);
    m.push('b', ts(1), 'b1', T0 + 5);
    expect(m.release(T0 + 5, ['a', 'b'])).toEqual(['a0']);
    m.push('a', ts(500), 'a500', T0 + 504);
    // b could still deliver something stamped before 500 until 500 + 4 + 10 (b1 goes: a passed it).
    expect(m.release(T0 + 504, ['a', 'b'])).toEqual(['b1']);
    expect(m.nextDue(T0 + 504, ['a', 'b'])).toBe(T0 + 515);
    expect(m.release(T0 + 512, ['a', 'b'])).toEqual([]);
    expect(m.release(T0 + 515, ['a', 'b'])).toEqual(['a500']);
  });

  it('a line held for the cap takes every line stamped before it along, in order', () => {
    const m = new Merger<string>({ capMs: 50 });
    m.push('a', ts(200), 'a200', T0 + 100_000);
    m.push('b', ts(150), 'b150', T0 + 100_040);
    m.push('b', ts(250), 'b250', T0 + 100_045);
    // a200 was held 50 ms: it goes, b150 before it; b250 is not due (a has not passed it).
    expect(m.release(T0 + 100_050, ['a', 'b', 'c'])).toEqual(['b150', 'a200']);
    expect(m.size).toBe(1);
  });
});
