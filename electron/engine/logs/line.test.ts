import { describe, expect, it } from 'vitest';
import { keyOfSecond, normalizeTs, parseTimestamped, requestIdOf, secondsBefore } from './line';

describe('log line parsing', () => {
  it('pads RFC3339Nano timestamps so text order is time order', () => {
    const a = normalizeTs('2026-11-22T04:00:05.1Z')!;
    const b = normalizeTs('2026-11-22T04:00:05.123Z')!;
    const c = normalizeTs('2026-11-22T04:00:05Z')!;
    expect(a).toBe('2026-11-22T04:00:05.100000000Z');
    expect(c).toBe('2026-11-22T04:00:05.000000000Z');
    expect([b, a, c].sort()).toEqual([c, a, b]);
    expect(normalizeTs('2026-11-22T05:00:05.5+01:00')).toBe('2026-11-22T04:00:05.500000000Z');
    expect(normalizeTs('garbage')).toBeNull();
  });
  it('splits timestamp and text, keeping spaces and dropping a CR', () => {
    expect(parseTimestamped('2026-11-22T04:00:05.000000001Z  two  spaces\r')).toEqual({ ts: '2026-11-22T04:00:05.000000001Z', text: ' two  spaces' });
    expect(parseTimestamped('2026-11-22T04:00:05Z')).toEqual({ ts: '2026-11-22T04:00:05.000000000Z', text: '' });
    expect(parseTimestamped('no timestamp here')).toBeNull();
  });
  it('extracts the request id of the runtime prefix', () => {
    expect(requestIdOf('[req 3f2a9c] hello')).toBe('3f2a9c');
    expect(requestIdOf('[req 3f2a9c-77] x')).toBe('3f2a9c-77');
    expect(requestIdOf('[req x] too short')).toBeNull();
    expect(requestIdOf('hello [req 3f2a9c] not at start')).toBeNull();
    expect(requestIdOf('[req 3f2a9c]no space')).toBeNull();
  });
  it('computes whole-second sinceTime values', () => {
    expect(secondsBefore('2026-11-22T04:00:00.900000000Z', 1)).toBe('2026-11-22T03:59:59Z');
    expect(keyOfSecond('2026-11-22T03:59:59Z')).toBe('2026-11-22T03:59:59.000000000Z');
  });
});
