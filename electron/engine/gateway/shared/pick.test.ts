import { describe, expect, it } from 'vitest';
import { effectiveWeights, WeightedPicker } from './pick';

const count = (picks: Array<number | null>) => picks.reduce<Record<string, number>>((m, r) => ((m[String(r)] = (m[String(r)] ?? 0) + 1), m), {});

describe('WeightedPicker', () => {
  it('splits 1,000 picks 90/10 exactly, interleaved rather than in runs', () => {
    const p = new WeightedPicker();
    const picks = Array.from({ length: 1000 }, () => p.pick([{ revision: 1, percent: 90 }, { revision: 2, percent: 10 }]));
    expect(count(picks)).toEqual({ 1: 900, 2: 100 });
    // every window of 10 consecutive picks holds exactly one of revision 2
    for (let i = 0; i + 10 <= 1000; i += 10) expect(picks.slice(i, i + 10).filter((r) => r === 2)).toHaveLength(1);
  });

  it('holds a three-way split over any 100 picks and skips revisions at 0%', () => {
    const p = new WeightedPicker();
    const w = [
      { revision: 3, percent: 50 },
      { revision: 4, percent: 33 },
      { revision: 5, percent: 17 },
      { revision: 6, percent: 0 },
    ];
    const picks = Array.from({ length: 300 }, () => p.pick(w));
    expect(count(picks)).toEqual({ 3: 150, 4: 99, 5: 51 });
  });

  it('starts over when the weights change, so the new split shows from the first pick', () => {
    const p = new WeightedPicker();
    for (let i = 0; i < 7; i++) p.pick([{ revision: 1, percent: 100 }]);
    const after = Array.from({ length: 2 }, () => p.pick([{ revision: 1, percent: 50 }, { revision: 2, percent: 50 }]));
    expect(after.sort()).toEqual([1, 2]);
    expect(p.pick([])).toBeNull();
  });
});

describe('effectiveWeights', () => {
  const canary = { id: 'c1', from: 1, to: 2, steps: [10, 50, 100], stepSeconds: 30, maxErrorRate: 0.2, windowSeconds: 30, minRequests: 10, startedAt: '2026-01-01T00:00:00Z' };
  const base = [{ revision: 1, percent: 100 }];
  it('is the doc weights without a canary', () => expect(effectiveWeights(base, null, null, 0)).toEqual(base));
  it('follows the canary step while it runs', () => {
    expect(effectiveWeights(base, canary, 'running', 0)).toEqual([{ revision: 1, percent: 90 }, { revision: 2, percent: 10 }]);
    expect(effectiveWeights(base, canary, 'running', 2)).toEqual([{ revision: 2, percent: 100 }]);
  });
  it('sends everything to the new revision once promoted, to the old one once rolled back', () => {
    expect(effectiveWeights(base, canary, 'promoted', 2)).toEqual([{ revision: 2, percent: 100 }]);
    expect(effectiveWeights(base, canary, 'rolled-back', 1)).toEqual([{ revision: 1, percent: 100 }]);
  });
});
