import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract';
import type { ClusterTarget } from './access';

export interface ApiRequest {
  method?: string;
  /** Path and query on the API server, already encoded, e.g. /api/v1/namespaces/x/pods?labelSelector=a%3Db */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer;
  signal?: AbortSignal;
}

/**
 * A keep-alive HTTP client for one target's API server. Credentials are read from the kubeconfig
 * once (certificate files included); only exec-plugin and auth-provider users are asked again per
 * request, because their tokens expire (client-node caches them until then). Responses stream.
 */
export interface ApiConnection {
  readonly server: string;
  request(req: ApiRequest): Promise<http.IncomingMessage>;
  /** Closes every socket (idle and in use). */
  destroy(): void;
}

type HttpsOpts = https.RequestOptions & { headers?: Record<string, string> };

const cache = new WeakMap<KubeConfig, Promise<ApiConnection>>();

/** The shared connection of a target; destroyed when the target is switched away from. */
export function apiConnection(target: Pick<ClusterTarget, 'kc' | 'signal'>): Promise<ApiConnection> {
  let conn = cache.get(target.kc);
  if (!conn) {
    conn = createApiConnection(target.kc);
    cache.set(target.kc, conn);
    const c = conn;
    target.signal.addEventListener(
      'abort',
      () => {
        cache.delete(target.kc);
        void c.then((x) => x.destroy(), () => undefined);
      },
      { once: true },
    );
    c.catch(() => cache.delete(target.kc));
  }
  return conn;
}

export async function createApiConnection(kc: KubeConfig): Promise<ApiConnection> {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster?.server) throw new FuncdeckError('KUBECONFIG_INVALID', 'The selected context has no cluster server URL. Fix the context in your kubeconfig.');
  const base: HttpsOpts = {};
  await kc.applyToHTTPSOptions(base);
  const dynamicAuth = Boolean(user?.exec || user?.authProvider);
  const server = cluster.server.replace(/\/+$/, '');
  const url = new URL(server);
  const isHttp = url.protocol === 'http:';
  // A proxy in the kubeconfig needs client-node's proxy agent; otherwise our own keep-alive agent.
  const agent: http.Agent = cluster.proxyUrl
    ? (base.agent as http.Agent)
    : isHttp
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
  const staticHeaders: Record<string, string> = { ...(base.headers ?? {}) };
  if (base.auth) staticHeaders.Authorization = 'Basic ' + Buffer.from(base.auth).toString('base64');
  const mod = isHttp ? http : https;
  const prefix = url.pathname.replace(/\/+$/, '');

  async function authHeaders(): Promise<Record<string, string>> {
    if (!dynamicAuth) return staticHeaders;
    const o: HttpsOpts = {};
    await kc.applyToHTTPSOptions(o);
    return { ...(o.headers ?? {}) };
  }

  return {
    server,
    async request(req) {
      const auth = await authHeaders();
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
            resolve,
          );
          r.on('error', (e) => reject(Object.assign(e, { reusedSocket: r.reusedSocket })));
          r.end(req.body);
        });
      try {
        return await once();
      } catch (e) {
        // A kept-alive socket the server closed while idle fails at once with ECONNRESET, before the
        // request reached anyone: send it again on a fresh socket (Node's documented remedy).
        const err = e as NodeJS.ErrnoException & { reusedSocket?: boolean };
        if (err.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') && !req.signal?.aborted) return once();
        throw e;
      }
    },
    destroy() {
      agent.destroy();
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
