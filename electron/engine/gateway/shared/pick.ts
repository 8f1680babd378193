import type { CanaryDoc, Weight } from './traffic-doc';

/**
 * Picks revisions by weight with smooth weighted round-robin (as nginx does): each pick adds every
 * revision's weight to its credit and takes the one with the most, which then pays the total. Over
 * any 100 picks a 90/10 split is exactly 90 and 10, interleaved (9, 1, 9, 1 ... rather than 90
 * then 10), so a split is visible at once and never drifts the way a random draw can.
 */
export class WeightedPicker {
  private credit = new Map<number, number>();
  private key = '';

  pick(weights: Weight[]): number | null {
    const live = weights.filter((w) => w.percent > 0);
    if (!live.length) return null;
    const key = live.map((w) => `${w.revision}:${w.percent}`).join(',');
    if (key !== this.key) {
      this.key = key; // new weights: start over, so the new split holds from the first pick
      this.credit = new Map();
    }
    const total = live.reduce((n, w) => n + w.percent, 0);
    let best: Weight | null = null;
    let bestCredit = -Infinity;
    for (const w of live) {
      const c = (this.credit.get(w.revision) ?? 0) + w.percent;
      this.credit.set(w.revision, c);
      if (c > bestCredit) {
        best = w;
        bestCredit = c;
      }
    }
    this.credit.set(best!.revision, bestCredit - total);
    return best!.revision;
  }
}

export type CanaryPhase = 'running' | 'promoted' | 'rolled-back' | 'stopped';

/** The weights callers get: the doc's, or while a canary exists, its current step's. */
export function effectiveWeights(weights: Weight[], canary: CanaryDoc | null, phase: CanaryPhase | null, step: number): Weight[] {
  if (!canary) return weights;
  if (phase === 'promoted') return [{ revision: canary.to, percent: 100 }];
  if (phase === 'rolled-back' || phase === 'stopped') return [{ revision: canary.from, percent: 100 }];
  const p = canary.steps[Math.min(step, canary.steps.length - 1)] ?? 0;
  return p >= 100 ? [{ revision: canary.to, percent: 100 }] : [
    { revision: canary.from, percent: 100 - p },
    { revision: canary.to, percent: p },
  ];
}
