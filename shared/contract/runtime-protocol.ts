/**
 * What the engine, the in-cluster runtime servers and the UI agree on about a running function:
 * object labels, ports and headers. Change them only together.
 */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  function: 'funcdeck.dev/function',
  revision: 'funcdeck.dev/revision',
  runtime: 'funcdeck.dev/runtime',
} as const;

export const MANAGED_BY = 'funcdeck';

export const ANNOTATIONS = {
  checksum: 'funcdeck.dev/checksum',
  spec: 'funcdeck.dev/spec',
} as const;

export const RUNTIME_PORTS = {
  /** The function's own HTTP endpoint. */
  http: 8080,
  /** /healthz, /readyz and Prometheus /metrics. */
  metrics: 9090,
} as const;

export const RUNTIME_HEADERS = {
  /** Set on every response; the same id prefixes the call's log lines as `[req <id>]`. */
  requestId: 'x-funcdeck-request-id',
  /** The handler's own time in milliseconds, for the invoke panel's timing split. */
  duration: 'x-funcdeck-duration-ms',
  revision: 'x-funcdeck-revision',
} as const;

/** Headers of the namespace gateway (electron/engine/gateway), which carries splits, tags and scale to zero. */
export const TRAFFIC_HEADERS = {
  /** Request header naming a tag: `x-funcdeck-tag: test` reaches the revision tagged "test". */
  tag: 'x-funcdeck-tag',
  /** Response header set by the gateway on every answer it gives or forwards: its version and pod, e.g. `3f2a9c1d0b7e funcdeck-gateway-5d8f7-x2k4q`. */
  gateway: 'x-funcdeck-gateway',
} as const;

/** Prefix the runtime writes before each log line of a call: `[req 3f2a9c] ...`. */
export const REQUEST_LOG_PREFIX = /^\[req ([0-9a-zA-Z-]{4,64})\] /;

/**
 * Prometheus series the runtime server exposes on RUNTIME_PORTS.metrics at /metrics and the engine
 * reads. The engine also accepts any `*_requests_total` counter with a `code` or `status` label,
 * any `*_request_duration_seconds` histogram and any `*_in_flight` gauge, so other runtimes fit.
 */
export const RUNTIME_METRICS = {
  /** counter, label `code` = HTTP status */
  requests: 'funcdeck_requests_total',
  /** histogram in seconds */
  duration: 'funcdeck_request_duration_seconds',
  /** gauge */
  inFlight: 'funcdeck_requests_in_flight',
  /** gauge, unix seconds */
  startTime: 'process_start_time_seconds',
} as const;
