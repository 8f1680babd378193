import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Calls from the gateway to a warm pool pod's control port are signed with the namespace's pool
 * key (a Secret mounted only into the gateway and the pool pods): HMAC-SHA256 over the time, a
 * nonce, the method, the path and the body's hash. The pod takes a call only with a valid
 * signature made within 30 s, and each nonce once, so another pod of the namespace can neither
 * load code into a pool pod nor replay a call it saw.
 */
export const AUTH_HEADER = 'x-funcdeck-pool-auth';
export const MAX_SKEW_MS = 30_000;

const mac = (key: Buffer, t: number, nonce: string, method: string, path: string, body: Buffer) =>
  createHmac('sha256', key).update(`${t}\n${nonce}\n${method}\n${path}\n${createHash('sha256').update(body).digest('hex')}`).digest('hex');

export function signPoolCall(key: Buffer, method: string, path: string, body: Buffer, now = Date.now()): string {
  const nonce = randomBytes(12).toString('hex');
  return `t=${now},n=${nonce},s=${mac(key, now, nonce, method, path, body)}`;
}

export class PoolAuth {
  private readonly seen = new Map<string, number>();

  constructor(private readonly key: Buffer) {}

  /** Null when the call is signed right; otherwise why not (for the log, never for the caller). */
  check(header: string | undefined, method: string, path: string, body: Buffer, now = Date.now()): string | null {
    const m = /^t=(\d+),n=([0-9a-f]{24}),s=([0-9a-f]{64})$/.exec(header ?? '');
    if (!m) return 'no signature';
    const t = Number(m[1]);
    if (Math.abs(now - t) > MAX_SKEW_MS) return 'signature too old';
    for (const [n, at] of this.seen) if (now - at > 2 * MAX_SKEW_MS) this.seen.delete(n);
    if (this.seen.has(m[2]!)) return 'nonce used before';
    const want = Buffer.from(mac(this.key, t, m[2]!, method, path, body), 'hex');
    const got = Buffer.from(m[3]!, 'hex');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return 'bad signature';
    this.seen.set(m[2]!, now);
    return null;
  }
}
