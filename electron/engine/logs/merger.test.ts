import { describe, expect, it } from 'vitest';
import { Merger } from './merger';

describe('Merger', () => {
  it('releases lines of several streams in timestamp order after the window', () => {
    const m = new Merger<string>(100);
    m.push('t3', 'a3', 0);
    m.push('t1', 'b1', 10);
    m.push('t2', 'a2', 20);
    m.push('t0', 'late', 150);
    expect(m.release(50, 2)).toEqual([]);
    expect(m.release(120, 2)).toEqual(['b1', 'a2', 'a3']);
    expect(m.nextDue(2)).toBe(250);
    expect(m.release(260, 2)).toEqual(['late']);
    expect(m.size).toBe(0);
  });
  it('holds nothing with one stream, keeping arrival order', () => {
    const m = new Merger<string>(100);
    m.push('t2', 'x', 0);
    m.push('t1', 'y', 0);
    expect(m.release(0, 1)).toEqual(['x', 'y']);
  });
  it('keeps equal timestamps in arrival order and releases all on demand', () => {
    const m = new Merger<string>(100);
    m.push('t', '1', 0);
    m.push('t', '2', 0);
    m.push('s', '0', 0);
    expect(m.release(1, 3, true)).toEqual(['0', '1', '2']);
  });
});
