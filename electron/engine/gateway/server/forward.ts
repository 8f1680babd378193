import http from 'node:http';
import { RUNTIME_PORTS } from '../../../../shared/contract/runtime-protocol';
import type { PodInfo } from './state';

/** HTTP/1.1 hop-by-hop headers: they describe one connection and are never passed on. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);

/** Calls whose body is at most this big are kept in memory, so a call that could not connect can go to another pod. */
export const RETRY_BODY_LIMIT = 4 * 1024 * 1024;

export const podAgent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1000, maxSockets: Infinity, maxFreeSockets: 64, timeout: 60_000 });

export interface ReadBody {
  /** The whole body when it was small enough to keep; null when it is still to be streamed from `req`. */
  buffered: Buffer | null;
}

/** A caller stopped sending its body: the call ends, counted as 408 (answered so where the connection still allows). */
export class BodyTimeout extends Error {}

/**
 * Reads the body into memory when small (content-length within the limit, or none); otherwise leaves
 * it to stream. A body that has not all arrived within `timeoutMs` ends the request: a caller that
 * stalls must not hold a call in flight for ever (the revision would never scale to zero).
 */
export async function readBody(req: http.IncomingMessage, timeoutMs: number): Promise<ReadBody> {
  const len = Number(req.headers['content-length'] ?? '0');
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (chunked || !(len <= RETRY_BODY_LIMIT)) return { buffered: null };
  const chunks: Buffer[] = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    req.destroy();
  }, timeoutMs);
  try {
    for await (const c of req) chunks.push(c as Buffer);
  } catch (e) {
    if (timedOut) throw new BodyTimeout(`the call's body did not arrive within ${Math.round(timeoutMs / 1000)} s`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw new BodyTimeout(`the call's body did not arrive within ${Math.round(timeoutMs / 1000)} s`);
  return { buffered: Buffer.concat(chunks) };
}

export function forwardHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  const named = new Set((String(req.headers.connection ?? '')).split(',').map((s) => s.trim().toLowerCase()));
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || HOP.has(k) || named.has(k)) continue;
    out[k] = v;
  }
  const addr = req.socket.remoteAddress;
  if (addr) out['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${addr}` : addr;
  return out;
}

export class ConnectError extends Error {
  constructor(
    message: string,
    /** True when nothing of the call reached the pod, so it can be sent elsewhere. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Sends the call to one pod and resolves with its answer's head (status and headers) once the first
 * byte came back; the caller pipes the rest. Rejects with ConnectError when the pod could not be
 * reached (retryable when the body was buffered and no byte of an answer came).
 */
export function sendToPod(
  pod: PodInfo,
  req: http.IncomingMessage,
  body: ReadBody,
  deadlineMs: number,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const out = http.request(
      { host: pod.ip!, port: RUNTIME_PORTS.http, method: req.method, path: req.url, headers: forwardHeaders(req), agent: podAgent, timeout: deadlineMs },
      (res) => {
        answered = true;
        resolve(res);
      },
    );
    out.on('timeout', () => out.destroy(new ConnectError(`pod ${pod.name} did not answer within ${Math.round(deadlineMs / 1000)} s`, false)));
    out.on('error', (e: NodeJS.ErrnoException) => {
      if (answered) return;
      if (e instanceof ConnectError) return reject(e);
      // Refused or unreachable: the pod never saw the call. Reset on a reused keep-alive socket: the pod
      // closed it as idle just as the call went out (it is shutting down), so it never saw the call either.
      const notConnected = e.code === 'ECONNREFUSED' || e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH';
      const idleClosed = (e.code === 'ECONNRESET' || e.code === 'EPIPE') && out.reusedSocket;
      const early = notConnected || idleClosed;
      reject(new ConnectError(`pod ${pod.name} (${pod.ip}): ${e.code ?? e.message}`, early && body.buffered !== null));
    });
    if (body.buffered !== null) out.end(body.buffered);
    else req.pipe(out);
  });
}
