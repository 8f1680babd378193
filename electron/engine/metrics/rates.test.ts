import { describe, expect, it } from 'vitest';
import { combine, countsOf, histogramQuantile, increase, restartedBetween } from './rates';

describe('histogramQuantile', () => {
  it('interpolates inside the bucket like Prometheus', () => {
    const b = new Map<number, number>([
      [0.1, 50],
      [0.2, 100],
      [Infinity, 100],
    ]);
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.1);
    expect(histogramQuantile(0.25, b)).toBeCloseTo(0.05); // first bucket starts at 0
    expect(histogramQuantile(0.75, b)).toBeCloseTo(0.15);
    expect(histogramQuantile(0.99, b)).toBeCloseTo(0.198);
  });
  it('answers the highest finite bound in the +Inf bucket, and null without data', () => {
    expect(histogramQuantile(0.99, new Map([[0.5, 1], [Infinity, 10]]))).toBe(0.5);
    expect(histogramQuantile(0.5, new Map([[0.5, 0], [Infinity, 0]]))).toBeNull();
    expect(histogramQuantile(0.5, new Map())).toBeNull();
  });
});

describe('rates from counter deltas', () => {
  const counters = (byCode: Record<string, number>, buckets: Array<[number, number]>, startTime: number | null = 1000) => ({
    byCode: new Map(Object.entries(byCode)),
    buckets: new Map(buckets),
    inFlight: 0,
    startTime,
  });

  it('computes the increase between scrapes, and the rate over the time between them', () => {
    const a = counters({ '200': 10, '500': 1 }, [[0.1, 11], [Infinity, 11]]);
    const b = counters({ '200': 30, '500': 5 }, [[0.1, 20], [Infinity, 35]]);
    const inc = increase(a, b);
    expect([...inc.byCode]).toEqual([
      ['200', 20],
      ['500', 4],
    ]);
    const m = combine([{ ...inc, seconds: 2 }], 3, 1, 2, { requests: 35, errors: 5 });
    expect(m.rps).toBe(12);
    expect(m).toMatchObject({ requests: 24, errors: 4, sinceStart: { requests: 35, errors: 5 } });
    expect(m.errorRate).toBeCloseTo(4 / 24);
    expect(m.p50).toBeCloseTo(100); // only 9 of 24 within 0.1 s: the median is in +Inf, so the highest finite bound
    expect(m).toMatchObject({ inFlight: 3, podsReady: 1, podsDesired: 2 });
  });

  it('takes all of the new counters after a restart: a counter went down, or the start time changed', () => {
    const before = counters({ '200': 10 }, [[Infinity, 10]], 1000);
    expect(restartedBetween(before, counters({ '200': 2 }, [[Infinity, 2]], null))).toBe(true);
    expect(increase(before, counters({ '200': 2 }, [[Infinity, 2]], null)).byCode.get('200')).toBe(2);
    // More calls than before, but a new process: its 12 calls are all new, not 2.
    const restarted = counters({ '200': 12 }, [[Infinity, 12]], 1500);
    expect(restartedBetween(before, restarted)).toBe(true);
    expect(increase(before, restarted).byCode.get('200')).toBe(12);
    expect(restartedBetween(before, counters({ '200': 12, '404': 1 }, [[Infinity, 13]], 1000))).toBe(false);
  });

  it('counts calls and 5xx answers', () => {
    expect(countsOf(new Map([['200', 3], ['404', 1], ['500', 2], ['504', 1]]))).toEqual({ requests: 7, errors: 3 });
  });

  it('gives zero rates and null latency without requests', () => {
    expect(combine([], 0, 0, 0)).toEqual({
      rps: 0,
      requests: 0,
      errors: 0,
      sinceStart: { requests: 0, errors: 0 },
      errorRate: 0,
      p50: null,
      p95: null,
      p99: null,
      inFlight: 0,
      podsReady: 0,
      podsDesired: 0,
    });
  });
});
