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

/** Prefix the runtime writes before each log line of a call: `[req 3f2a9c] ...`. */
export const REQUEST_LOG_PREFIX = /^\[req ([0-9a-zA-Z-]{4,64})\] /;
