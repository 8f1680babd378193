import { performance } from 'node:perf_hooks';
import { FuncdeckError, RUNTIME_HEADERS } from '../../../shared/contract';
import { INVOKE_DISPLAY_LIMIT_BYTES, type InvokeRequest, type InvokeResult, type NameValue } from '../../../shared/contract/invoke';
import { seg, type ApiConnection } from '../kube/api-connection';
import { headerValueProblem } from '../../../shared/contract/text';
import { decodeResponseBody, encodeRequestBody } from './body';
import { kubeFailure } from '../kube/api-failure';
import type { HealthView } from '../kube/health';
import { FunctionCheck } from './function-check';
import { parseColdStart } from '../gateway/shared/server-timing';
import type { ProgressReporter } from './progress';

const functionCheck = new FunctionCheck();

/** Headers that belong to the hop to the API server, or that the API server would read as its own. */
const FORBIDDEN_HEADERS = new Set(['authorization', 'host', 'connection', 'content-length', 'transfer-encoding', 'upgrade', 'keep-alive', 'te', 'trailer', 'proxy-authorization']);

/** Percent-encodes what may not appear in a URL path, keeping "/" and existing %XX escapes. */
export function encodePath(p: string): string {
  return p.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c)).replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
}

/** The API server path that proxies to the function's Service port named "http". */
export function serviceProxyPath(namespace: string, fn: string, p: string, query: NameValue[]): string {
  const qs = new URLSearchParams(query.map((q): [string, string] => [q.name, q.value])).toString();
  return `/api/v1/namespaces/${seg(namespace)}/services/${seg(fn)}:http/proxy${encodePath(p)}${qs ? `?${qs}` : ''}`;
}

export function checkHeaders(headers: NameValue[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const h of headers) {
    const name = h.name.trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) throw new FuncdeckError('BAD_REQUEST', `"${h.name}" is not a valid header name.`);
    const problem = headerValueProblem(h.name, h.value);
    if (problem) throw new FuncdeckError('BAD_REQUEST', problem);
    if (FORBIDDEN_HEADERS.has(name) || name.startsWith('impersonate-')) {
      throw new FuncdeckError(
        'BAD_REQUEST',
        name === 'authorization'
          ? 'The Authorization header cannot be sent through the Kubernetes API server proxy: the API server reads it as your cluster credential. Send it under another name (e.g. X-Authorization).'
          : `The header "${h.name}" is set by the connection itself and cannot be sent from the invoke panel. Remove it.`,
      );
    }
    const prev = out[name];
    out[name] = prev === undefined ? h.value : Array.isArray(prev) ? [...prev, h.value] : [prev, h.value];
  }
  return out;
}

function headerList(raw: string[]): NameValue[] {
  const out: NameValue[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i]!.toLowerCase(), value: raw[i + 1]! });
  return out;
}

/**
 * Sends one request to a function through the API server's service proxy and reads the answer,
 * keeping at most `displayLimit` bytes of the body in memory (the rest is only counted).
 */
export async function sendInvoke(
  conn: ApiConnection,
  namespace: string,
  req: InvokeRequest,
  opts: { signal?: AbortSignal; displayLimit?: number; check?: FunctionCheck; progress?: ProgressReporter } = {},
): Promise<Omit<InvokeResult, 'historyId'>> {
  const displayLimit = opts.displayLimit ?? INVOKE_DISPLAY_LIMIT_BYTES;
  const headers = checkHeaders(req.headers);
  const { bytes, contentType } = encodeRequestBody(req.body);
  if (bytes && contentType && headers['content-type'] === undefined) headers['content-type'] = contentType;
  headers.accept ??= '*/*';
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
  const path = serviceProxyPath(namespace, req.function, req.path, req.query);
  let answered: { status: number; requestId: string | undefined } | null = null;
  // Near the deadline with no answer yet, ask the API server itself whether it answers, so a silent
  // cluster is not blamed on the function (and the answer is ready when the deadline comes).
  const checkMs = Math.min(1500, Math.max(1000, req.timeoutMs / 2));
  let check: Promise<HealthView | null> | null = null;
  const checkTimer = setTimeout(() => {
    if (!answered && conn.checkApiServer) check = conn.checkApiServer(checkMs).catch(() => null);
  }, Math.max(0, req.timeoutMs - checkMs));
  try {
    // Only a Funcdeck function's Service is sent anything (remembered briefly; see function-check.ts).
    await (opts.check ?? functionCheck).ensure(conn, namespace, req.function, signal);
    const invokedAt = new Date().toISOString();
    const start = performance.now();
    const res = await conn.request({ method: req.method, path, headers, body: bytes, signal });
    answered = { status: res.statusCode ?? 0, requestId: one(res.headers[RUNTIME_HEADERS.requestId]) };
    const status = res.statusCode ?? 0;
    const requestId = one(res.headers[RUNTIME_HEADERS.requestId]);
    const ctype = one(res.headers['content-type']) ?? undefined;
    const revision = one(res.headers[RUNTIME_HEADERS.revision]) ?? null;
    if (requestId || status < 400) {
      opts.progress?.head({ type: 'head', status, statusText: res.statusMessage ?? '', headers: headerList(res.rawHeaders), requestId: requestId ?? null, revision, invokedAt }, start, ctype);
    }
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    try {
      for await (const c of res as AsyncIterable<Buffer>) {
        size += c.length;
        opts.progress?.chunk(c);
        if (kept <= displayLimit) {
          chunks.push(c);
          kept += c.length;
        }
      }
      if (!res.complete) throw new Error('aborted');
    } catch (e) {
      // Without the runtime's request id it is not the function's answer: the outer catch says what broke.
      if (deadline.aborted || opts.signal?.aborted || !requestId) throw e;
      // The function's runtime cuts an answer it cannot finish (a timeout or an error while streaming).
      throw new FuncdeckError(
        'INVOKE_FAILED',
        `The answer of "${req.function}" was cut after ${size} bytes (HTTP ${status}): the function timed out or failed while sending it.` +
          ` Its log lines for request ${requestId} say why.`,
        { source: 'function', status, requestId, receivedBytes: size },
      );
    }
    const totalMs = performance.now() - start;
    const head = Buffer.concat(chunks, kept);
    if (!requestId && status >= 400) proxyFailure(status, head, req.function, namespace);
    // A streamed answer gives the handler's time as a trailer.
    const fnMs = Number(one(res.headers[RUNTIME_HEADERS.duration]) ?? res.trailers[RUNTIME_HEADERS.duration]);
    return {
      status,
      statusText: res.statusMessage ?? '',
      headers: headerList(res.rawHeaders),
      body: decodeResponseBody(head, size, ctype, displayLimit),
      requestId: requestId ?? null,
      revision,
      timing: { totalMs: round2(totalMs), functionMs: Number.isFinite(fnMs) && fnMs >= 0 ? fnMs : null },
      invokedAt,
      // Set by the namespace gateway on the call that waited for its revision to start (scale from zero).
      coldStart: parseColdStart(res.headers['server-timing']),
    };
  } catch (e) {
    if (e instanceof FuncdeckError) throw e;
    if (deadline.aborted) throw await lateAnswer(conn, req, answered, check ?? (conn.checkApiServer ? conn.checkApiServer(checkMs).catch(() => null) : null));
    if (opts.signal?.aborted) throw new FuncdeckError('CANCELLED', 'The invoke was cancelled (the cluster selection changed).');
    if (answered) {
      const code = (e as { code?: unknown } | null)?.code;
      throw new FuncdeckError(
        'INVOKE_FAILED',
        `The answer of "${req.function}" was cut off${typeof code === 'string' ? ` (${code})` : ''}: the connection through the API server closed while it was answering. Try again.`,
        { source: 'api-server', status: answered.status },
      );
    }
    throw kubeFailure(e, conn.server, `invoke "${req.function}"`);
  } finally {
    clearTimeout(checkTimer);
  }
}

/**
 * The invoke deadline passed. Say who did not answer: the function (it started answering, or the
 * API server answers while the call waits), or the API server itself (no headers, and it does not
 * answer a health check either, or says it is not ready).
 */
async function lateAnswer(
  conn: ApiConnection,
  req: InvokeRequest,
  answered: { status: number; requestId: string | undefined } | null,
  check: Promise<HealthView | null> | null,
): Promise<FuncdeckError> {
  const secs = req.timeoutMs / 1000;
  if (answered) {
    return new FuncdeckError(
      'TIMEOUT',
      answered.requestId
        ? `"${req.function}" started answering (HTTP ${answered.status}, request ${answered.requestId}) but did not finish within ${secs} s (the invoke deadline). It streams slowly or hangs mid-answer; check its logs, or raise the deadline.`
        : `The answer to "${req.function}" (HTTP ${answered.status}) did not finish within ${secs} s (the invoke deadline). Check the function's logs, or raise the deadline.`,
      { source: answered.requestId ? 'function' : 'api-server', timeoutMs: req.timeoutMs, status: answered.status },
    );
  }
  const health = check ? await check : null;
  if (health?.state === 'down') {
    return new FuncdeckError(
      'CLUSTER_UNREACHABLE',
      `The API server ${conn.server} did not answer within ${secs} s, and does not answer a health check either (${health.error?.message ?? 'no answer'}). The call may never have reached "${req.function}": the cluster is frozen, overloaded or restarting, not the function. Funcdeck keeps checking it; try again when it is back.`,
      { source: health.cause ?? 'api-server', timeoutMs: req.timeoutMs, server: conn.server },
    );
  }
  if (health?.state === 'degraded') {
    return new FuncdeckError(
      'CLUSTER_UNREACHABLE',
      `No answer within ${secs} s: ${health.error?.message ?? 'the API server is not ready'} The cluster, not "${req.function}", is the likely cause; try again when it is ready.`,
      { source: 'api-server', timeoutMs: req.timeoutMs, server: conn.server },
    );
  }
  return new FuncdeckError(
    'TIMEOUT',
    `No answer from "${req.function}" within ${secs} s (the invoke deadline)${health ? ', while the API server answers' : ''}. The function may hang or be slow; check its logs, or raise the deadline.`,
    { source: 'function', timeoutMs: req.timeoutMs },
  );
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * An error answer without the runtime's request id came from the API server's proxy, not from the
 * function: turn the Kubernetes Status into an error that says what to do. Other answers pass.
 */
function proxyFailure(status: number, head: Buffer, fn: string, namespace: string): void {
  let st: { kind?: string; message?: string; reason?: string } | undefined;
  try {
    st = JSON.parse(head.toString('utf8')) as typeof st;
  } catch {
    st = undefined;
  }
  const text = st?.kind === 'Status' ? (st.message ?? '') : head.toString('utf8').slice(0, 300);
  const reachingPod = /error trying to reach service|no endpoints available|dial tcp/i.test(text);
  const fromApiServer = st?.kind === 'Status' || reachingPod;
  if (!fromApiServer) return;
  // The API server's own failure (etcd timed out, its request timeout): the call never reached the pod.
  if (status >= 500 && !reachingPod && (st?.reason === 'Timeout' || st?.reason === 'InternalError' || status === 504 || /etcd/i.test(text))) {
    throw new FuncdeckError(
      'CLUSTER_UNREACHABLE',
      `The API server could not serve the call to "${fn}" (HTTP ${status}: ${text || 'no message'}). The cluster itself (API server or etcd) failed, not the function; try again shortly.`,
      { status, message: text, source: 'api-server' },
    );
  }
  if (status === 404) {
    throw new FuncdeckError('NOT_FOUND', `There is no function "${fn}" in namespace "${namespace}" (no Service of that name). Deploy it first, or pick another namespace.`, { status });
  }
  if (status === 401) throw new FuncdeckError('UNAUTHORIZED', `The cluster rejected your credentials while invoking "${fn}". Refresh your kubeconfig credentials.`, { status });
  if (status === 403) {
    throw new FuncdeckError('FORBIDDEN', `You may not invoke "${fn}": ${text}. Ask a cluster admin for "get" on "services/proxy" in namespace "${namespace}".`, {
      status,
      verb: 'get',
      resource: 'services/proxy',
      namespace,
    });
  }
  if (/no endpoints available/i.test(text)) {
    throw new FuncdeckError('INVOKE_FAILED', `"${fn}" has no ready pod to answer. Wait until it is Ready (or scaled up), then invoke again.`, { status, message: text, source: 'pod' });
  }
  throw new FuncdeckError('INVOKE_FAILED', `The API server could not reach "${fn}" (HTTP ${status}: ${text || 'no message'}). The pod may be starting or crashing; check its status and logs.`, {
    status,
    message: text,
    source: 'pod',
  });
}
