import { describe, expect, it } from 'vitest';
import { combine, histogramQuantile, podDelta, type PodScrape } from './rates';

const scrape = (t: number, byCode: Record<string, number>, buckets: Array<[number, number]>, startTime = 1000): PodScrape => ({
  t,
  counters: { byCode: new Map(Object.entries(byCode)), buckets: new Map(buckets), inFlight: 0, startTime },
});

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
  it('computes the increase between scrapes, and treats a drop as a restart', () => {
    const a = scrape(0, { '200': 10, '500': 1 }, [[0.1, 11], [Infinity, 11]]);
    const b = scrape(2000, { '200': 30, '500': 5 }, [[0.1, 20], [Infinity, 35]]);
    const d = podDelta(a, b, 0)!;
    expect([...d.byCode]).toEqual([
      ['200', 20],
      ['500', 4],
    ]);
    expect(d.seconds).toBe(2);
    const m = combine([d], 3, 1, 2);
    expect(m.rps).toBe(12);
    expect(m.errorRate).toBeCloseTo(4 / 24);
    expect(m.p50).toBeCloseTo(100); // only 9 of 24 within 0.1 s: the median is in +Inf, so the highest finite bound
    expect(m).toMatchObject({ inFlight: 3, podsReady: 1, podsDesired: 2 });
    const restarted = podDelta(b, scrape(3000, { '200': 2 }, [[0.1, 2], [Infinity, 2]]), 2000)!;
    expect(restarted.byCode.get('200')).toBe(2);
  });
  it('has no delta for a first scrape, unless the process started after the previous round', () => {
    expect(podDelta(undefined, scrape(5000, { '200': 3 }, [], 0.5), 1000)).toBeNull(); // started at 0.5 s, before the previous round
    const fresh = podDelta(undefined, scrape(5000, { '200': 3 }, [], 4.5), 4000)!; // started at 4.5 s, after 4 s
    expect(fresh.byCode.get('200')).toBe(3);
    expect(fresh.seconds).toBe(1);
  });
  it('gives zero rates and null latency without requests', () => {
    expect(combine([], 0, 0, 0)).toEqual({ rps: 0, errorRate: 0, p50: null, p95: null, p99: null, inFlight: 0, podsReady: 0, podsDesired: 0 });
  });
});
