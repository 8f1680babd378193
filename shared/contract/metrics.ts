import { z } from 'zod';
import { call, stream } from './define';
import { FunctionName } from './functions';

/** About 5 minutes of samples are kept per function and sent on subscribe. */
export const METRICS_HISTORY_MS = 5 * 60_000;

/** Calls answered, and of them the 5xx answers. */
export const RequestCounts = z.object({
  requests: z.number().int().min(0),
  errors: z.number().int().min(0),
});
export type RequestCounts = z.infer<typeof RequestCounts>;

export const RequestMetrics = z.object({
  /** Requests per second over this sample's interval (since the previous scrape, by the scrapes' own times). */
  rps: z.number().min(0),
  /** Calls answered in this sample's interval, and of them 5xx: each call is in exactly one sample. */
  requests: z.number().int().min(0),
  errors: z.number().int().min(0),
  /**
   * Calls answered since the pods started (read from their own counters, so calls made before the
   * metrics were opened count too), including pods that have gone since the sampler saw them.
   */
  sinceStart: RequestCounts,
  /** Share of those requests answered 5xx, 0..1 (0 when there were none). */
  errorRate: z.number().min(0).max(1),
  /** Latency quantiles in milliseconds over the last interval, like histogram_quantile; null without requests. */
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  inFlight: z.number().min(0),
  podsReady: z.number().int().min(0),
  podsDesired: z.number().int().min(0),
  /** Calls in the interval that waited for their revision to start from zero pods (the namespace gateway's count). */
  coldStarts: z.number().int().min(0).optional(),
  /** Their mean wait in milliseconds; null without any. */
  coldStartMs: z.number().nullable().optional(),
});
export type RequestMetrics = z.infer<typeof RequestMetrics>;

export const PodUsage = z.object({
  pod: z.string(),
  revision: z.string().nullable(),
  ready: z.boolean(),
  /** CPU in millicores; null when neither metrics.k8s.io nor the kubelet summary had it yet. */
  cpuMillicores: z.number().nullable(),
  memoryBytes: z.number().nullable(),
});
export type PodUsage = z.infer<typeof PodUsage>;

export const MetricsSample = z.object({
  /** Unix milliseconds: when the pods' counters were read (the scrape), which ends the sample's interval. */
  t: z.number(),
  perRevision: z.record(z.string(), RequestMetrics),
  total: RequestMetrics,
  pods: z.array(PodUsage),
});
export type MetricsSample = z.infer<typeof MetricsSample>;

export const MetricsWatchParams = z.object({
  function: FunctionName,
  /**
   * How often the function is scraped. One sampler serves every watcher of a function at the
   * shortest interval asked for; each watcher gets every sample (none is skipped, as each one
   * counts the calls since the previous).
   */
  intervalMs: z.union([z.literal(1000), z.literal(2000)]).default(1000),
});

/**
 * What metrics.watch pushes: the first event carries the kept history (`reset: true`), later ones
 * one new sample each. `usageSource` says where CPU and memory came from; `problems` lists pods
 * whose scrape failed this round, in words.
 */
export const MetricsEvent = z.object({
  samples: z.array(MetricsSample),
  reset: z.boolean(),
  usageSource: z.enum(['metrics.k8s.io', 'kubelet', 'none']),
  problems: z.array(z.string()),
});
export type MetricsEvent = z.infer<typeof MetricsEvent>;

export const metricsCalls = {
  /** The kept samples of a function (up to ~5 min), oldest first, without subscribing. */
  'metrics.history': call(z.object({ function: FunctionName }), z.array(MetricsSample)),
};
export const metricsStreams = {
  'metrics.watch': stream(MetricsWatchParams, MetricsEvent),
};
