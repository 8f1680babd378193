import { GATEWAY_PORT_RANGE } from './traffic-doc';

/**
 * The gateway port of a function: a hash of its name into the range, moved on past ports other
 * functions of the namespace already use. The function's Service sends port 80 there, so the
 * gateway knows the function from the port a call arrives on, however it came (cluster DNS, the
 * Service IP, or the API server's service proxy, which keeps neither the Host nor the path).
 */
export function gatewayPort(fn: string, used: Iterable<number>): number {
  const taken = new Set(used);
  let h = 0x811c9dc5;
  for (let i = 0; i < fn.length; i++) h = Math.imul(h ^ fn.charCodeAt(i), 0x01000193) >>> 0;
  for (let i = 0; i < GATEWAY_PORT_RANGE.count; i++) {
    const port = GATEWAY_PORT_RANGE.first + ((h + i) % GATEWAY_PORT_RANGE.count);
    if (!taken.has(port)) return port;
  }
  throw new Error('No free gateway port is left in this namespace.');
}
