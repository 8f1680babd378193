import { describe, expect, it } from 'vitest';
import { parseSteps, rebalance, tagsFrom, tagsTo, total, weightsFrom } from './traffic-form';

describe('traffic form', () => {
  it('keeps the weights at 100: a raise is taken from the largest other share first, a cut given to it', () => {
    const w = { 1: 100, 2: 0, 3: 0 };
    const a = rebalance(w, 2, 10);
    expect(a).toEqual({ 1: 90, 2: 10, 3: 0 });
    const b = rebalance(a, 3, 95);
    expect(b).toEqual({ 1: 0, 2: 5, 3: 95 });
    const c = rebalance(b, 3, 50);
    expect(c).toEqual({ 1: 0, 2: 50, 3: 50 });
    for (const x of [a, b, c, rebalance(c, 1, 250), rebalance(c, 2, -5), rebalance(c, 2, Number.NaN)]) expect(total(x)).toBe(100);
    expect(rebalance({ 4: 100 }, 4, 30)).toEqual({ 4: 100 });
  });

  it('starts from what callers get, every revision listed', () => {
    expect(weightsFrom([{ revision: 2, percent: 100 }], [2, 1])).toEqual({ 1: 0, 2: 100 });
    expect(weightsFrom([], [3, 2])).toEqual({ 2: 0, 3: 100 });
  });

  it('reads and writes tags as comma-separated names per revision', () => {
    const text = tagsFrom([{ name: 'test', revision: 2 }, { name: 'preview', revision: 2 }, { name: 'old', revision: 1 }]);
    expect(text).toEqual({ 1: 'old', 2: 'test, preview' });
    expect(tagsTo({ ...text, 3: ' ' })).toEqual([
      { name: 'old', revision: 1 },
      { name: 'test', revision: 2 },
      { name: 'preview', revision: 2 },
    ]);
  });

  it('reads canary steps', () => {
    expect(parseSteps('10, 50, 100')).toEqual([10, 50, 100]);
    expect(parseSteps('10 → 50 → 100')).toEqual([10, 50, 100]);
    expect(parseSteps('ten')).toBeNull();
  });
});
