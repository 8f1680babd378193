import { RUNTIME_METRICS } from '../../../shared/contract/runtime-protocol';
import type { PromSample } from './prom-text';

/** What the engine reads from one scrape of a runtime's /metrics. */
export interface RuntimeCounters {
  /** Requests handled, by HTTP status code (summed over other labels). */
  byCode: Map<string, number>;
  /** Cumulative latency histogram: upper bound in seconds (Infinity for +Inf) -> count. */
  buckets: Map<number, number>;
  inFlight: number;
  /** Unix seconds; null when not exposed. */
  startTime: number | null;
}

function pick(samples: PromSample[], exact: string, suffix: RegExp): string | null {
  if (samples.some((s) => s.name === exact)) return exact;
  return samples.find((s) => suffix.test(s.name))?.name ?? null;
}

/**
 * Finds the runtime's series: our names first (RUNTIME_METRICS), else any `*_requests_total` with a
 * code/status label, `*_request_duration_seconds` histogram and `*_in_flight` gauge.
 */
export function readRuntimeCounters(samples: PromSample[]): RuntimeCounters {
  const reqName = pick(samples, RUNTIME_METRICS.requests, /_requests_total$/);
  const histName = pick(
    samples.map((s) => ({ ...s, name: s.name.replace(/_bucket$/, '') })).filter((s, i) => samples[i]!.name.endsWith('_bucket')),
    RUNTIME_METRICS.duration,
    /_request_duration_seconds$/,
  );
  const inFlightName = pick(samples, RUNTIME_METRICS.inFlight, /_in_flight(_requests)?$/);
  const byCode = new Map<string, number>();
  const buckets = new Map<number, number>();
  let inFlight = 0;
  let startTime: number | null = null;
  for (const s of samples) {
    if (s.name === reqName) {
      const code = s.labels.code ?? s.labels.status ?? s.labels.status_code ?? 'unknown';
      byCode.set(code, (byCode.get(code) ?? 0) + s.value);
    } else if (histName && s.name === `${histName}_bucket`) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      if (!Number.isNaN(le)) buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    } else if (s.name === inFlightName) {
      inFlight += s.value;
    } else if (s.name === RUNTIME_METRICS.startTime) {
      startTime = s.value;
    }
  }
  return { byCode, buckets, inFlight, startTime };
}
