import type { RequestMetrics } from '../../../shared/contract/metrics';
import type { RuntimeCounters } from './runtime-series';

/** One pod's scrape at local time `t` (ms). */
export interface PodScrape {
  t: number;
  counters: RuntimeCounters;
}

/** What changed in one pod between two scrapes: requests by code, histogram buckets, seconds elapsed. */
export interface PodDelta {
  byCode: Map<string, number>;
  buckets: Map<number, number>;
  seconds: number;
}

/** A counter's increase; a lower value means the process restarted, so the whole value is new. */
const increase = (prev: number | undefined, cur: number) => (prev === undefined || cur < prev ? cur : cur - prev);

/**
 * The increase between two scrapes of one pod. Without a previous scrape there is no delta, except
 * for a process that started after `since` (a new pod): everything it counted is new.
 */
export function podDelta(prev: PodScrape | undefined, cur: PodScrape, since: number | null): PodDelta | null {
  if (!prev) {
    const start = cur.counters.startTime;
    if (since === null || start === null || start * 1000 < since) return null;
    return { byCode: new Map(cur.counters.byCode), buckets: new Map(cur.counters.buckets), seconds: Math.max(0.001, (cur.t - since) / 1000) };
  }
  const restarted = [...cur.counters.byCode].reduce((n, [, v]) => n + v, 0) < [...prev.counters.byCode].reduce((n, [, v]) => n + v, 0);
  const byCode = new Map<string, number>();
  for (const [code, v] of cur.counters.byCode) byCode.set(code, restarted ? v : increase(prev.counters.byCode.get(code), v));
  const buckets = new Map<number, number>();
  for (const [le, v] of cur.counters.buckets) buckets.set(le, restarted ? v : increase(prev.counters.buckets.get(le), v));
  return { byCode, buckets, seconds: Math.max(0.001, (cur.t - prev.t) / 1000) };
}

/**
 * histogram_quantile: the q-quantile from cumulative bucket counts (upper bound -> count), by linear
 * interpolation inside the bucket; in the +Inf bucket, the highest finite bound. Null without data.
 */
export function histogramQuantile(q: number, buckets: Map<number, number>): number | null {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  if (sorted.length === 0) return null;
  const total = sorted.at(-1)![1];
  if (!(total > 0)) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) return sorted.length > 1 ? sorted.at(-2)![0] : null;
      if (count === prevCount) return bound;
      const lower = prevBound === 0 && bound <= 0 ? bound : prevBound;
      return lower + (bound - lower) * ((rank - prevCount) / (count - prevCount));
    }
    prevBound = bound;
    prevCount = count;
  }
  return sorted.at(-1)![0];
}

/** Request metrics of a group of pods (a revision, or all) from their deltas. */
export function combine(deltas: PodDelta[], inFlight: number, podsReady: number, podsDesired: number): RequestMetrics {
  let requests = 0;
  let errors = 0;
  let rps = 0;
  const buckets = new Map<number, number>();
  for (const d of deltas) {
    let n = 0;
    for (const [code, v] of d.byCode) {
      n += v;
      if (/^5\d\d$/.test(code)) errors += v;
    }
    requests += n;
    rps += n / d.seconds;
    for (const [le, v] of d.buckets) buckets.set(le, (buckets.get(le) ?? 0) + v);
  }
  const ms = (s: number | null) => (s === null ? null : Math.round(s * 1000 * 1000) / 1000);
  return {
    rps: Math.round(rps * 1000) / 1000,
    errorRate: requests > 0 ? errors / requests : 0,
    p50: ms(histogramQuantile(0.5, buckets)),
    p95: ms(histogramQuantile(0.95, buckets)),
    p99: ms(histogramQuantile(0.99, buckets)),
    inFlight,
    podsReady,
    podsDesired,
  };
}
