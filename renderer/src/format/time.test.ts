import { describe, expect, it } from 'vitest';
import { axisTime, clockTime } from './time';

describe('clockTime', () => {
  const today = new Date(2026, 10, 30, 18, 0, 0);
  it('writes local 24-hour time, milliseconds when asked, and the date only for another day', () => {
    expect(clockTime(new Date(2026, 10, 30, 16, 24, 49, 746), { now: today })).toBe('16:24:49');
    expect(clockTime(new Date(2026, 10, 30, 4, 5, 6, 7), { now: today, ms: true })).toBe('04:05:06.007');
    expect(clockTime(new Date(2026, 10, 29, 23, 59, 59), { now: today })).toBe('2026-11-29 23:59:59');
    expect(clockTime(new Date(2026, 10, 30, 16, 24, 49).toISOString(), { now: today })).toBe('16:24:49');
    expect(clockTime('not a time')).toBe('—');
  });
  it('axis labels are clock time, never minutes:seconds', () => {
    expect(axisTime(new Date(2026, 10, 30, 16, 25, 14))).toBe('16:25:14');
  });
});
