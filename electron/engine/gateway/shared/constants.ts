/** Names and ports the engine and the gateway program agree on. */

/** The gateway's own port: /healthz, /readyz, /metrics and the read-only /status. */
export const OPS_PORT = 9091;

/** The ConfigMap the gateway keeps canary progress in (the only object it writes besides scale and events). */
export const STATUS_CONFIGMAP = 'funcdeck-gateway-status';

/** Which part of the gateway a pod is: the router (the function Services' target) or a warm pool pod of a runtime. */
export const PART_LABEL = 'funcdeck.dev/part';
export const ROUTER_PART = 'router';
export const poolPart = (runtime: string) => `pool-${runtime}`;

/** The warm pool pod's control port (specialise, retire): only calls signed with the pool key are taken. */
export const POOL_PORT = 9092;

/** The Secret holding the pool key, mounted into the gateway and the pool pods only. */
export const POOL_KEY_SECRET = 'funcdeck-gateway-key';
