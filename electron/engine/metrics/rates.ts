import type { RequestCounts, RequestMetrics } from '../../../shared/contract/metrics';
import type { RuntimeCounters } from './runtime-series';

/** One pod's scrape, read at local time `t` (ms). */
export interface PodScrape {
  t: number;
  counters: RuntimeCounters;
}

/** What one pod counted between two scrapes: requests by code and histogram buckets. */
export interface Increase {
  byCode: Map<string, number>;
  buckets: Map<number, number>;
}

/** The calls one pod answered within a sample's interval, and that interval's length. */
export interface PodDelta extends Increase {
  seconds: number;
}

/**
 * Whether the process behind `cur` is not the one behind `prev`: its start time changed (a container
 * restart, even one that has already answered more calls than before), or a counter went down.
 */
export function restartedBetween(prev: RuntimeCounters, cur: RuntimeCounters): boolean {
  if (prev.startTime !== null && cur.startTime !== null && Math.abs(cur.startTime - prev.startTime) > 0.001) return true;
  for (const [code, v] of prev.byCode) if ((cur.byCode.get(code) ?? 0) < v) return true;
  for (const [le, v] of prev.buckets) if ((cur.buckets.get(le) ?? 0) < v) return true;
  return false;
}

/** The increase from `prev` to `cur`; all of `cur` without a previous scrape or after a restart. */
export function increase(prev: RuntimeCounters | undefined, cur: RuntimeCounters): Increase {
  if (!prev || restartedBetween(prev, cur)) return { byCode: new Map(cur.byCode), buckets: new Map(cur.buckets) };
  const byCode = new Map<string, number>();
  for (const [code, v] of cur.byCode) byCode.set(code, v - (prev.byCode.get(code) ?? 0));
  const buckets = new Map<number, number>();
  for (const [le, v] of cur.buckets) buckets.set(le, v - (prev.buckets.get(le) ?? 0));
  return { byCode, buckets };
}

const isServerError = (code: string) => /^5\d\d$/.test(code);

/** Calls and 5xx answers in a by-code count (counters are whole numbers; rounding drops float noise). */
export function countsOf(byCode: Map<string, number>): RequestCounts {
  let requests = 0;
  let errors = 0;
  for (const [code, v] of byCode) {
    requests += v;
    if (isServerError(code)) errors += v;
  }
  return { requests: Math.round(requests), errors: Math.round(errors) };
}

export const addCounts = (a: RequestCounts, b: RequestCounts): RequestCounts => ({ requests: a.requests + b.requests, errors: a.errors + b.errors });

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
export function combine(deltas: PodDelta[], inFlight: number, podsReady: number, podsDesired: number, sinceStart: RequestCounts = { requests: 0, errors: 0 }): RequestMetrics {
  let requests = 0;
  let errors = 0;
  let rps = 0;
  const buckets = new Map<number, number>();
  for (const d of deltas) {
    const c = countsOf(d.byCode);
    requests += c.requests;
    errors += c.errors;
    rps += c.requests / d.seconds;
    for (const [le, v] of d.buckets) buckets.set(le, (buckets.get(le) ?? 0) + v);
  }
  const ms = (s: number | null) => (s === null ? null : Math.round(s * 1000 * 1000) / 1000);
  return {
    rps: Math.round(rps * 1000) / 1000,
    requests,
    errors,
    sinceStart,
    errorRate: requests > 0 ? errors / requests : 0,
    p50: ms(histogramQuantile(0.5, buckets)),
    p95: ms(histogramQuantile(0.95, buckets)),
    p99: ms(histogramQuantile(0.99, buckets)),
    inFlight,
    podsReady,
    podsDesired,
  };
}
