import { createHash } from 'node:crypto';
import gatewaySource from './server/main.ts?bundle';
import poolSource from './pool/main.ts?bundle';

/**
 * The gateway program the engine ships into a namespace: its sources (./server) bundled at build
 * time into one plain CommonJS file with no dependencies, run by the Node runtime image from a
 * ConfigMap. Its version is a hash of that text plus the image, so a new Funcdeck or a new image
 * upgrades the gateway in place.
 */
export const GATEWAY_SOURCE: string = gatewaySource;
/** The warm pool pod's program (pool/main.ts), shipped beside the gateway's. */
export const POOL_SOURCE: string = poolSource;

export function gatewayVersion(image: string): string {
  return createHash('sha256').update(GATEWAY_SOURCE).update('\0').update(POOL_SOURCE).update('\0').update(image).digest('hex').slice(0, 12);
}
