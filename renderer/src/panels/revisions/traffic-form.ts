import type { TrafficTag, TrafficWeight } from '../../../../shared/contract/traffic';

/**
 * The traffic form's pure parts: weights that always add up to 100 (a change to one revision is
 * taken from, or given to, the others, largest share first), and tags typed as comma-separated names.
 */
export type Weights = Record<number, number>;

export function rebalance(weights: Weights, revision: number, wanted: number): Weights {
  const next: Weights = { ...weights };
  const others = Object.keys(next)
    .map(Number)
    .filter((r) => r !== revision)
    .sort((a, b) => next[b]! - next[a]! || b - a);
  if (!others.length) return { [revision]: 100 };
  const value = Math.max(0, Math.min(100, Math.round(Number.isFinite(wanted) ? wanted : 0)));
  let delta = value - (next[revision] ?? 0);
  next[revision] = value;
  if (delta > 0) {
    for (const r of others) {
      const take = Math.min(delta, next[r]!);
      next[r] = next[r]! - take;
      delta -= take;
      if (!delta) break;
    }
  } else if (delta < 0) {
    next[others[0]!] = next[others[0]!]! - delta;
  }
  return next;
}

export const total = (w: Weights) => Object.values(w).reduce((n, x) => n + x, 0);

/** The form's weights from what callers get now: every listed revision, 0 for those without traffic. */
export function weightsFrom(current: TrafficWeight[], revisions: number[]): Weights {
  const out: Weights = Object.fromEntries(revisions.map((r) => [r, 0]));
  for (const w of current) if (w.revision in out) out[w.revision] = w.percent;
  if (total(out) !== 100 && revisions.length) out[revisions[0]!] = (out[revisions[0]!] ?? 0) + 100 - total(out);
  return out;
}

export function tagsFrom(tags: TrafficTag[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const t of tags) out[t.revision] = out[t.revision] ? `${out[t.revision]}, ${t.name}` : t.name;
  return out;
}

/** The tags typed per revision ("test, preview"), as the contract takes them. */
export function tagsTo(text: Record<number, string>): TrafficTag[] {
  return Object.entries(text).flatMap(([rev, names]) =>
    names
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .map((name) => ({ name, revision: Number(rev) })),
  );
}

/** "10, 50, 100" -> [10, 50, 100]; anything that is not a list of numbers -> null. */
export function parseSteps(text: string): number[] | null {
  const parts = text.split(/[,\s→>]+/).filter(Boolean);
  const steps = parts.map(Number);
  return parts.length && steps.every((s) => Number.isInteger(s)) ? steps : null;
}
