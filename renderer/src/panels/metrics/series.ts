import type { MetricsSample, RequestMetrics } from '../../../../shared/contract/metrics';

export interface ChartDef {
  id: string;
  title: string;
  unit: string;
  series: Array<{ label: string; pick(s: MetricsSample, revision: string | null): number | null }>;
}

const req = (s: MetricsSample, revision: string | null): RequestMetrics | undefined => (revision ? s.perRevision[revision] : s.total);
const podsOf = (s: MetricsSample, revision: string | null) => s.pods.filter((p) => !revision || p.revision === revision);
const sum = (xs: Array<number | null>) => (xs.some((x) => x !== null) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);

/** The six charts: requests, latency, errors, pods, CPU, memory. */
export const CHARTS: ChartDef[] = [
  { id: 'rps', title: 'Requests per second', unit: 'req/s', series: [{ label: 'requests/s', pick: (s, r) => req(s, r)?.rps ?? null }] },
  {
    id: 'latency',
    title: 'Latency',
    unit: 'ms',
    series: [
      { label: 'p50', pick: (s, r) => req(s, r)?.p50 ?? null },
      { label: 'p95', pick: (s, r) => req(s, r)?.p95 ?? null },
      { label: 'p99', pick: (s, r) => req(s, r)?.p99 ?? null },
    ],
  },
  { id: 'errors', title: 'Errors (5xx share)', unit: '%', series: [{ label: 'errors %', pick: (s, r) => { const m = req(s, r); return m ? m.errorRate * 100 : null; } }] },
  {
    id: 'pods',
    title: 'Pods',
    unit: 'pods',
    series: [
      { label: 'ready', pick: (s, r) => req(s, r)?.podsReady ?? null },
      { label: 'desired', pick: (s, r) => req(s, r)?.podsDesired ?? null },
    ],
  },
  { id: 'cpu', title: 'CPU', unit: 'millicores', series: [{ label: 'CPU m', pick: (s, r) => sum(podsOf(s, r).map((p) => p.cpuMillicores)) }] },
  { id: 'memory', title: 'Memory', unit: 'MiB', series: [{ label: 'MiB', pick: (s, r) => { const b = sum(podsOf(s, r).map((p) => p.memoryBytes)); return b === null ? null : b / 1048576; } }] },
];

/** Column data for uPlot: [times in seconds, ...one array per series]. */
export function columns(chart: ChartDef, samples: MetricsSample[], revision: string | null): Array<Array<number | null>> {
  return [samples.map((s) => s.t / 1000), ...chart.series.map((ser) => samples.map((s) => ser.pick(s, revision)))];
}

/** Calls over the kept window (each call is counted in exactly one sample), for the summary next to the charts. */
export function totalRequests(samples: MetricsSample[], revision: string | null): number {
  return samples.reduce((n, s) => n + (req(s, revision)?.requests ?? 0), 0);
}

/** Calls and 5xx answers since the pods started, as of the newest sample; null before the first. */
export function sinceStart(samples: MetricsSample[], revision: string | null): RequestMetrics['sinceStart'] | null {
  const last = samples.at(-1);
  if (!last) return null;
  return req(last, revision)?.sinceStart ?? { requests: 0, errors: 0 };
}
