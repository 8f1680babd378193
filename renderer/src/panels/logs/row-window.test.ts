import { describe, expect, it } from 'vitest';
import { rowWindow } from './useRowWindow';

describe('rowWindow', () => {
  it('covers the rows in view plus the overscan, from the scroll position', () => {
    // 1000 rows of 18 px, a 180 px box scrolled to row 100.
    expect(rowWindow(1000, 18, 1800, 180, 5, false)).toEqual({ first: 95, end: 115, total: 18000 });
  });
  it('ends at the last row when following, whatever the last scroll position', () => {
    expect(rowWindow(100_000, 18, 0, 180, 5, true)).toEqual({ first: 99_985, end: 100_000, total: 1_800_000 });
  });
  it('stays inside the rows when there are fewer than fit, or the position is past the end', () => {
    expect(rowWindow(3, 18, 0, 180, 5, true)).toEqual({ first: 0, end: 3, total: 54 });
    expect(rowWindow(50, 18, 10_000, 180, 5, false)).toEqual({ first: 35, end: 50, total: 900 });
    expect(rowWindow(0, 18, 0, 180, 5, false)).toEqual({ first: 0, end: 0, total: 0 });
  });
});
