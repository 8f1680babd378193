import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import type { ClusterHealth } from '../../../shared/contract/clusters';
import { anonymousGet } from './anonymous';
import { sleep } from './backoff';
import { causeOf, noAnswerReason, type NoAnswerCause } from './no-answer';

export type HealthState = ClusterHealth['state'];

export interface HealthView {
  context: string;
  server: string;
  state: HealthState;
  /** ms since epoch when `state` began. */
  since: number;
  cause: NoAnswerCause | null;
  error: FuncdeckError | null;
  lastAnswerAt: number | null;
  credentials: { ok: boolean; error: FuncdeckError | null } | null;
}

export interface HealthCheckOptions {
  /** Between checks while up (default 3 s) and while down or degraded (default 1 s). */
  upIntervalMs?: number;
  downIntervalMs?: number;
  /** Deadline of one check (default 3 s). */
  timeoutMs?: number;
}

const DEFAULTS = { upIntervalMs: 3000, downIntervalMs: 1000, timeoutMs: 3000 };

/**
 * What the engine knows right now about one context's API server: every request's outcome feeds it
 * (an HTTP answer of any status: it answers; a refused, unroutable or silent request: it does not),
 * and while anyone keeps watching (`keepChecking`) an anonymous GET /readyz checks it about every
 * 3 s when up, every second when down or degraded. Listeners hear only changes of state, cause or
 * the credentials outcome.
 */
export class ContextHealth {
  private v: HealthView;
  private readonly listeners = new Set<(v: HealthView) => void>();
  private interest = 0;
  private checking = false;
  private checkKc: KubeConfig | null = null;
  private wake: AbortController | null = null;
  private opts = DEFAULTS;

  constructor(context: string, server: string) {
    this.v = { context, server, state: 'unknown', since: Date.now(), cause: null, error: null, lastAnswerAt: null, credentials: null };
  }

  view(): HealthView {
    return { ...this.v };
  }

  /** The API server sent an HTTP answer (any status). */
  answered(): void {
    this.v.lastAnswerAt = Date.now();
    if (this.v.state === 'down' || this.v.state === 'unknown') this.set({ state: 'up', cause: null, error: null });
  }

  /** A request got no HTTP answer. */
  failed(cause: NoAnswerCause, error: FuncdeckError): void {
    if (this.v.state === 'down' && this.v.cause === cause) {
      this.v.error = error; // same outage: keep its start, no news for listeners
      return;
    }
    this.set({ state: 'down', cause, error });
  }

  /** The API server answers but says it is not ready (/readyz failed). Only the checks decide this. */
  private degraded(error: FuncdeckError): void {
    this.v.lastAnswerAt = Date.now();
    if (this.v.state === 'degraded') {
      this.v.error = error;
      return;
    }
    this.set({ state: 'degraded', cause: 'api-server', error });
  }

  private ready(): void {
    this.v.lastAnswerAt = Date.now();
    if (this.v.state !== 'up') this.set({ state: 'up', cause: null, error: null });
  }

  credentialsOk(): void {
    if (this.v.credentials?.ok) return;
    this.v.credentials = { ok: true, error: null };
    this.emit();
  }

  credentialsFailed(error: FuncdeckError): void {
    const was = this.v.credentials;
    this.v.credentials = { ok: false, error };
    if (!was || was.ok || was.error?.message !== error.message) this.emit();
  }

  subscribe(listener: (v: HealthView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks the API server now and then while `signal` is live (one checker per context, however many ask). */
  keepChecking(kc: KubeConfig, signal: AbortSignal, opts: HealthCheckOptions = {}): void {
    if (signal.aborted) return;
    this.interest++;
    this.checkKc = kc;
    this.opts = { ...DEFAULTS, ...this.opts, ...opts };
    signal.addEventListener(
      'abort',
      () => {
        this.interest--;
        if (this.interest === 0) this.wake?.abort();
      },
      { once: true },
    );
    if (!this.checking) void this.checkLoop();
  }

  /** Makes the checker look again at once (e.g. a call just failed). */
  checkSoon(): void {
    this.wake?.abort();
  }

  private async checkLoop(): Promise<void> {
    this.checking = true;
    try {
      while (this.interest > 0 && this.checkKc) {
        await this.checkOnce(this.checkKc, this.opts.timeoutMs);
        if (this.interest === 0) break;
        this.wake = new AbortController();
        await sleep(this.v.state === 'up' ? this.opts.upIntervalMs : this.opts.downIntervalMs, this.wake.signal);
        this.wake = null;
      }
    } finally {
      this.checking = false;
    }
  }

  /** One anonymous GET /readyz: any answer but a 5xx means ready enough; 5xx means degraded; none means down. */
  async checkOnce(kc: KubeConfig, timeoutMs: number): Promise<void> {
    try {
      const r = await anonymousGet(kc, '/readyz', { timeoutMs });
      if (r.status >= 500) {
        const failing = r.body
          .split('\n')
          .filter((l) => l.startsWith('[-]'))
          .map((l) => l.slice(3).split(' ')[0])
          .join(', ');
        this.degraded(
          new FuncdeckError('CLUSTER_UNREACHABLE', `The API server ${this.v.server} answers but is not ready (HTTP ${r.status}${failing ? `; failing: ${failing}` : ''}). Calls may fail until it is; it is checked again every second.`, {
            source: 'api-server',
            status: r.status,
          }),
        );
      } else this.ready();
    } catch (e) {
      if (e instanceof FuncdeckError) return; // the kubeconfig entry itself is unusable: nothing to learn here
      const cause = causeOf(e, (e as { connected?: boolean }).connected ?? false);
      this.failed(cause, noAnswerError(this.v.server, cause, e));
    }
  }

  private set(next: Pick<HealthView, 'state' | 'cause' | 'error'>): void {
    Object.assign(this.v, next, { since: Date.now() });
    this.emit();
  }

  private emit(): void {
    const v = this.view();
    for (const l of this.listeners) {
      try {
        l(v);
      } catch {
        // one listener's bug must not hide the news from the others
      }
    }
  }
}

/** The error for "no answer", saying which side it was. */
export function noAnswerError(server: string, cause: NoAnswerCause, e: unknown): FuncdeckError {
  const c = (e as { code?: unknown } | null)?.code;
  const code = typeof c === 'string' ? c : undefined;
  return new FuncdeckError('CLUSTER_UNREACHABLE', `Cannot reach ${server}${code ? ` (${code})` : ''}: ${noAnswerReason(code, cause)}.`, {
    source: cause,
    server,
    ...(code ? { network: code } : {}),
  });
}

const registry = new Map<string, ContextHealth>();

/** The health of the API server a context points at (one per context name and server URL). */
export function healthOf(context: string, server: string): ContextHealth {
  const key = `${context}\u0000${server}`;
  let h = registry.get(key);
  if (!h) {
    h = new ContextHealth(context, server);
    registry.set(key, h);
  }
  return h;
}

/** The health of `kc`'s current context, or null when it has no server. */
export function healthFor(kc: KubeConfig): ContextHealth | null {
  const server = kc.getCurrentCluster()?.server;
  return server ? healthOf(kc.getCurrentContext(), server.replace(/\/+$/, '')) : null;
}

/** The contract's shape of a view. */
export function toClusterHealth(v: HealthView): ClusterHealth {
  return {
    context: v.context,
    state: v.state,
    since: new Date(v.since).toISOString(),
    cause: v.cause,
    error: v.error?.toShape() ?? null,
    lastAnswerAt: v.lastAnswerAt === null ? null : new Date(v.lastAnswerAt).toISOString(),
    credentials: v.credentials ? { ok: v.credentials.ok, error: v.credentials.error?.toShape() ?? null } : null,
  };
}
