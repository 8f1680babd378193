/** Names and ports the engine and the gateway program agree on. */

/** The gateway's own port: /healthz, /readyz, /metrics and the read-only /status. */
export const OPS_PORT = 9091;

/** The ConfigMap the gateway keeps canary progress in (the only object it writes besides scale and events). */
export const STATUS_CONFIGMAP = 'funcdeck-gateway-status';
