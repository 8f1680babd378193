import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract';
import type { ClusterTarget } from './access';
import { applyCredentials, execCredential, forgetExecCredential, hasExecUser, type HttpsOpts } from './credentials';
import type { ExecCredentialStatus } from './exec-plugin';
import { healthFor, noAnswerError, type HealthView } from './health';
import { causeOf, isNoAnswer, trackConnect } from './no-answer';

export interface ApiRequest {
  method?: string;
  /** Path and query on the API server, already encoded, e.g. /api/v1/namespaces/x/pods?labelSelector=a%3Db */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer;
  signal?: AbortSignal;
}

/**
 * A keep-alive HTTP client for one target's API server. Token and client-certificate users' credentials
 * are read once; exec-plugin (./credentials) and auth-provider users' are asked per request, within
 * the request's signal (its deadline), because they expire (the plugin's answer is cached until
 * then). Responses stream. Every request's outcome feeds the context's health (./health).
 */
export interface ApiConnection {
  readonly server: string;
  request(req: ApiRequest): Promise<http.IncomingMessage>;
  /**
   * Asks the API server (anonymous GET /readyz, within `timeoutMs`) whether it answers, records the
   * outcome in the context's health and returns it. Used to tell a silent API server from a slow function.
   */
  checkApiServer?(timeoutMs: number): Promise<HealthView>;
  /** Closes every socket (idle and in use). */
  destroy(): void;
}

const cache = new WeakMap<KubeConfig, Promise<ApiConnection>>();

/** The shared connection of a target; destroyed when the target is switched away from. */
export function apiConnection(target: Pick<ClusterTarget, 'kc' | 'signal'>): Promise<ApiConnection> {
  let conn = cache.get(target.kc);
  if (!conn) {
    conn = createApiConnection(target.kc);
    cache.set(target.kc, conn);
    const c = conn;
    const onSwitch = () => {
      cache.delete(target.kc);
      void c.then((x) => x.destroy(), () => undefined);
    };
    target.signal.addEventListener('abort', onSwitch, { once: true });
    // One that could not be made is asked again next time; the target (which lives on) keeps nothing of it.
    c.catch(() => {
      cache.delete(target.kc);
      target.signal.removeEventListener('abort', onSwitch);
    });
  }
  return conn;
}

interface Prepared {
  agent: http.Agent;
  headers: Record<string, string>;
}

export async function createApiConnection(kc: KubeConfig): Promise<ApiConnection> {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster?.server) throw new FuncdeckError('KUBECONFIG_INVALID', 'The selected context has no cluster server URL. Fix the context in your kubeconfig.');
  const dynamicAuth = hasExecUser(kc) || Boolean(user?.authProvider);
  const server = cluster.server.replace(/\/+$/, '');
  const url = new URL(server);
  const isHttp = url.protocol === 'http:';
  const mod = isHttp ? http : https;
  const prefix = url.pathname.replace(/\/+$/, '');
  const health = healthFor(kc);
  // One keep-alive agent per TLS identity (an exec plugin may hand out a new client certificate).
  const agents = new Map<string, http.Agent>();
  const agentFor = (base: HttpsOpts): http.Agent => {
    // A proxy in the kubeconfig needs client-node's proxy agent.
    if (cluster.proxyUrl) return base.agent as http.Agent;
    const key = `${String(base.cert ?? '')}\0${String(base.key ?? '')}`;
    let agent = agents.get(key);
    if (!agent) {
      agent = isHttp
        ? new http.Agent({ keepAlive: true, maxFreeSockets: 32, scheduling: 'lifo' })
        : new https.Agent({
            keepAlive: true,
            maxFreeSockets: 32,
            scheduling: 'lifo',
            ca: base.ca,
            cert: base.cert,
            key: base.key,
            pfx: base.pfx,
            passphrase: base.passphrase,
            servername: base.servername,
            ...(base.rejectUnauthorized !== undefined ? { rejectUnauthorized: base.rejectUnauthorized } : {}),
          });
      agents.set(key, agent);
    }
    return agent;
  };
  const headersOf = (base: HttpsOpts): Record<string, string> => {
    const h: Record<string, string> = { ...(base.headers ?? {}) };
    if (base.auth) h.Authorization = 'Basic ' + Buffer.from(base.auth).toString('base64');
    return h;
  };

  let fixed: Prepared | null = null;
  if (!dynamicAuth) {
    const base: HttpsOpts = {};
    await kc.applyToHTTPSOptions(base);
    fixed = { agent: agentFor(base), headers: headersOf(base) };
  }
  let last: { status: ExecCredentialStatus | null; prepared: Prepared } | null = null;
  async function prepare(signal: AbortSignal | undefined): Promise<Prepared> {
    if (fixed) return fixed;
    const status = await execCredential(kc, { signal });
    if (status && last?.status === status) return last.prepared;
    const base: HttpsOpts = {};
    await applyCredentials(kc, base, { signal });
    const prepared = { agent: agentFor(base), headers: headersOf(base) };
    last = { status, prepared };
    return prepared;
  }

  return {
    server,
    async request(req) {
      const { agent, headers: auth } = await prepare(req.signal);
      req.signal?.throwIfAborted();
      let connected = () => false;
      const once = () =>
        new Promise<http.IncomingMessage>((resolve, reject) => {
          req.signal?.throwIfAborted();
          const headers: http.OutgoingHttpHeaders = { ...req.headers, ...auth };
          if (req.body) headers['Content-Length'] = req.body.length;
          const r = mod.request(
            {
              protocol: url.protocol,
              hostname: url.hostname,
              port: url.port || (isHttp ? 80 : 443),
              method: req.method ?? 'GET',
              path: prefix + req.path,
              headers,
              agent,
              signal: req.signal,
            },
            (res) => {
              health?.answered();
              if (res.statusCode === 401) forgetExecCredential(kc);
              resolve(res);
            },
          );
          connected = trackConnect(r);
          r.on('error', (e) => reject(Object.assign(e, { reusedSocket: r.reusedSocket })));
          r.end(req.body);
        });
      try {
        try {
          return await once();
        } catch (e) {
          // A kept-alive socket the server closed while idle fails at once with ECONNRESET, before the
          // request reached anyone: send it again on a fresh socket (Node's documented remedy).
          const err = e as NodeJS.ErrnoException & { reusedSocket?: boolean };
          if (err.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') && !req.signal?.aborted) return await once();
          throw e;
        }
      } catch (e) {
        if (e && typeof e === 'object') Object.assign(e, { connected: connected() });
        if (!req.signal?.aborted && isNoAnswer(e)) {
          const cause = causeOf(e, connected());
          health?.failed(cause, noAnswerError(server, cause, e));
          health?.checkSoon();
        }
        throw e;
      }
    },
    async checkApiServer(timeoutMs) {
      if (!health) throw new FuncdeckError('KUBECONFIG_INVALID', 'The selected context has no cluster server URL.');
      await health.checkOnce(kc, timeoutMs);
      return health.view();
    },
    destroy() {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
  };
}

/** Reads a whole response body (for small API answers). */
export async function readAll(res: http.IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) {
      res.destroy();
      throw new FuncdeckError('INTERNAL', `The API server's answer was larger than ${limit} bytes.`);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** GET a JSON document; non-2xx becomes an error carrying the status and the Status message. */
export async function getJson<T>(conn: ApiConnection, path: string, signal?: AbortSignal): Promise<T> {
  const res = await conn.request({ path, headers: { Accept: 'application/json' }, signal });
  const body = await readAll(res);
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw new ApiStatusError(status, body.toString('utf8'));
  return JSON.parse(body.toString('utf8')) as T;
}

/** A non-2xx answer of the API server (or of a proxied pod), with the Status message when there is one. */
export class ApiStatusError extends Error {
  readonly statusCode: number;
  readonly reason: string | undefined;
  constructor(status: number, body: string) {
    let message = body.trim().slice(0, 500);
    let reason: string | undefined;
    try {
      const parsed = JSON.parse(body) as { kind?: string; message?: string; reason?: string };
      if (parsed.kind === 'Status') {
        message = parsed.message ?? message;
        reason = parsed.reason;
      }
    } catch {
      // not JSON: keep the text
    }
    super(`HTTP ${status}: ${message}`);
    this.statusCode = status;
    this.reason = reason;
  }
}

/** Encodes each path segment of a name for use inside an API path. */
export const seg = (s: string) => encodeURIComponent(s);
