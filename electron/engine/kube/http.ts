import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { toFuncdeckError, type KubeAction } from './errors';

export interface KubeRequest {
  method?: string;
  /** Path on the API server, e.g. /api/v1/namespaces. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Extra headers, e.g. Content-Type: application/merge-patch+json. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Deadline for the whole request, credentials (exec plugins) included. */
  timeoutMs?: number;
}

export interface KubeResponse {
  status: number;
  body: Buffer;
}

/** A network-level failure, shaped like Node's own (code ECONNREFUSED, ETIMEDOUT, ...), for toFuncdeckError. */
class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Non-2xx answer, shaped like client-node's ApiException (code = HTTP status, body = Status object). */
export class KubeHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${code}`);
  }
}

export function serverOf(kc: KubeConfig): string | undefined {
  return kc.getCurrentCluster()?.server;
}

/**
 * One HTTP request to the current context's API server with the kubeconfig's credentials (token,
 * client certificate or exec plugin, all applied by client-node), a hard deadline and an abort signal.
 * Used where the generated clients cannot take a deadline: probes, lists for watches, raw proxies.
 */
export async function kubeRequest(kc: KubeConfig, req: KubeRequest): Promise<KubeResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new FuncdeckError('KUBECONFIG_INVALID', 'The selected context has no cluster server URL. Fix the context in your kubeconfig.');
  const timeoutMs = req.timeoutMs ?? 30_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new NetworkError(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT')), timeoutMs);
  const onAbort = () => controller.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  if (req.signal?.aborted) onAbort();
  try {
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(controller.signal.reason instanceof Error ? controller.signal.reason : Object.assign(new Error('aborted'), { name: 'AbortError' }));
      if (controller.signal.aborted) fail();
      controller.signal.addEventListener('abort', fail, { once: true });
    });
    aborted.catch(() => undefined);
    const opts: https.RequestOptions & { headers?: Record<string, string> } = {};
    await Promise.race([kc.applyToHTTPSOptions(opts), aborted]);
    const url = new URL(cluster.server.replace(/\/$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = req.body === undefined ? undefined : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    const headers: Record<string, string | number> = { Accept: 'application/json', ...req.headers, ...(opts.headers as Record<string, string>) };
    if (payload) {
      headers['Content-Type'] ??= 'application/json';
      headers['Content-Length'] = payload.length;
    }
    const mod = url.protocol === 'http:' ? http : https;
    return await Promise.race([
      new Promise<KubeResponse>((resolve, reject) => {
        const r = mod.request(url, { method: req.method ?? 'GET', headers, agent: opts.agent, auth: opts.auth, signal: controller.signal }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        r.on('error', reject);
        r.end(payload);
      }),
      aborted,
    ]);
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}

/** kubeRequest that parses JSON and maps every failure (HTTP status, network, credentials) to a FuncdeckError. */
export async function kubeJson<T>(kc: KubeConfig, req: KubeRequest, action: KubeAction): Promise<T> {
  let res: KubeResponse;
  try {
    res = await kubeRequest(kc, req);
  } catch (e) {
    if (req.signal?.aborted) throw new FuncdeckError('CANCELLED', `Stopped: ${action.verb} ${action.resource} was cancelled.`);
    throw toFuncdeckError(e, { server: serverOf(kc), ...action });
  }
  const text = res.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (res.status < 200 || res.status >= 300) throw toFuncdeckError(new KubeHttpError(res.status, parsed), { server: serverOf(kc), ...action });
  return parsed as T;
}
