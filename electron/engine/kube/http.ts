import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { applyCredentials, forgetExecCredential, type HttpsOpts } from './credentials';
import { toFuncdeckError, type KubeAction } from './errors';
import { healthFor, noAnswerError } from './health';
import { causeOf, isNoAnswer, NoAnswerError, trackConnect, type NoAnswerCause } from './no-answer';

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
 * One HTTP request to the current context's API server as the context's user, with a hard deadline
 * that covers getting the credentials (an exec plugin runs under it, see ./credentials) and an abort
 * signal. Every outcome feeds the context's health (./health). Used where the generated clients
 * cannot take a deadline: probes, lists for watches, raw proxies.
 */
export async function kubeRequest(kc: KubeConfig, req: KubeRequest): Promise<KubeResponse> {
  const res = await send(kc, req, req.timeoutMs ?? 30_000);
  const chunks: Buffer[] = [];
  try {
    for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
  } catch (e) {
    throw req.signal?.aborted ? abortError(req.signal) : e;
  }
  return { status: res.statusCode ?? 0, body: Buffer.concat(chunks) };
}

/**
 * Like kubeRequest, but resolves once the response headers arrived (within `headersTimeoutMs`, which
 * covers credentials too) and leaves the body streaming: for watches. Abort `signal` to close it.
 */
export function kubeStream(kc: KubeConfig, req: KubeRequest & { signal: AbortSignal }, headersTimeoutMs: number): Promise<http.IncomingMessage> {
  return send(kc, req, headersTimeoutMs, true);
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('aborted'), { name: 'AbortError' });
}

async function send(kc: KubeConfig, req: KubeRequest, timeoutMs: number, streaming = false): Promise<http.IncomingMessage> {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new FuncdeckError('KUBECONFIG_INVALID', 'The selected context has no cluster server URL. Fix the context in your kubeconfig.');
  const server = cluster.server.replace(/\/+$/, '');
  const health = healthFor(kc);
  const started = performance.now();
  const opts: HttpsOpts = {};
  await applyCredentials(kc, opts, { signal: req.signal, timeoutMs });
  req.signal?.throwIfAborted();
  const url = new URL(server + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const payload = req.body === undefined ? undefined : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
  const headers: Record<string, string | number> = { Accept: 'application/json', ...req.headers, ...(opts.headers as Record<string, string>) };
  if (payload) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = payload.length;
  }
  const mod = url.protocol === 'http:' ? http : https;
  const left = Math.max(1, timeoutMs - (performance.now() - started));
  const isProxyPath = /\/proxy(\/|$)/.test(req.path);
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    let response: http.IncomingMessage | null = null;
    let failed = false;
    const controller = new AbortController();
    const onAbort = () => controller.abort(abortError(req.signal!));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (e: Error) => {
      done();
      if (response || failed) return;
      failed = true;
      reject(e);
    };
    const noAnswer = (cause: NoAnswerCause, e: unknown) => {
      health?.failed(cause, noAnswerError(server, cause, e));
      health?.checkSoon();
    };
    const r = mod.request(url, { method: req.method ?? 'GET', headers, agent: opts.agent, auth: opts.auth, signal: controller.signal }, (res) => {
      response = res;
      health?.answered();
      if (res.statusCode === 401) forgetExecCredential(kc);
      if (streaming) clearTimeout(timer);
      res.once('close', done);
      resolve(res);
    });
    const connected = trackConnect(r);
    const timer = setTimeout(() => {
      const c = connected();
      const secs = Math.round(timeoutMs / 100) / 10;
      const err = new NoAnswerError(c ? `connected, but no answer within ${secs} s` : `no connection within ${secs} s`, 'ETIMEDOUT', c ? 'api-server' : 'network', c);
      // Headers came but the body is late: its reader gets the error. No headers at all: nobody answered
      // (through a proxy path it may be the pod behind it, which says nothing about the API server).
      if (response) return response.destroy(err);
      if (!isProxyPath) noAnswer(err.side, err);
      controller.abort(err);
      fail(err);
    }, left);
    r.on('error', (e) => {
      if (!response && !failed && !req.signal?.aborted && isNoAnswer(e)) noAnswer(causeOf(e, connected()), e);
      fail(req.signal?.aborted ? abortError(req.signal) : e);
    });
    r.end(payload);
  });
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
