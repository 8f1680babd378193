import { describe, expect, it } from 'vitest';
import type { MetricsSample, RequestMetrics } from '../../../../shared/contract/metrics';
import { CHARTS, columns, sinceStart, totalRequests } from './series';

const m = (rps: number, extra: Partial<RequestMetrics> = {}): RequestMetrics => ({
  rps, requests: rps, errors: 0, sinceStart: { requests: 10 + rps, errors: 1 }, errorRate: 0, p50: null, p95: null, p99: null, inFlight: 0, podsReady: 1, podsDesired: 1, ...extra,
});
const sample = (t: number, r1: number, r2: number): MetricsSample => ({
  t,
  perRevision: { '1': m(r1), '2': m(r2, { errorRate: 0.5, p95: 12 }) },
  total: m(r1 + r2),
  pods: [
    { pod: 'a', revision: '1', ready: true, cpuMillicores: 5, memoryBytes: 1048576 },
    { pod: 'b', revision: '2', ready: true, cpuMillicores: null, memoryBytes: 2097152 },
  ],
});

describe('metrics series', () => {
  const samples = [sample(1000, 1, 2), sample(2000, 3, 0)];
  const chart = (id: string) => CHARTS.find((c) => c.id === id)!;

  it('charts the whole function or one revision', () => {
    expect(columns(chart('rps'), samples, null)).toEqual([[1, 2], [3, 3]]);
    expect(columns(chart('rps'), samples, '2')).toEqual([[1, 2], [2, 0]]);
    expect(columns(chart('errors'), samples, '2')[1]).toEqual([50, 50]);
    expect(columns(chart('latency'), samples, '2')[2]).toEqual([12, 12]);
  });

  it('sums CPU and memory over the pods of the chosen revision, null when unknown', () => {
    expect(columns(chart('cpu'), samples, null)[1]).toEqual([5, 5]);
    expect(columns(chart('cpu'), samples, '2')[1]).toEqual([null, null]);
    expect(columns(chart('memory'), samples, null)[1]).toEqual([3, 3]);
  });

  it('counts the calls over the window from each sample’s own count, not from its rate', () => {
    const slow = [sample(1000, 1, 2), { ...sample(3000, 3, 0), total: m(1.5, { requests: 3 }) }];
    expect(totalRequests(slow, null)).toBe(6);
    expect(totalRequests(samples, '1')).toBe(4);
  });

  it('reads the totals since the pods started from the newest sample, for all revisions or one', () => {
    expect(sinceStart([], null)).toBeNull();
    expect(sinceStart(samples, null)).toEqual({ requests: 13, errors: 1 });
    expect(sinceStart(samples, '2')).toEqual({ requests: 10, errors: 1 });
    expect(sinceStart(samples, '9')).toEqual({ requests: 0, errors: 0 });
  });
});
