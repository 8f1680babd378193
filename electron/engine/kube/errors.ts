import { FuncdeckError } from '../../../shared/contract/errors';
import { causeOf, noAnswerReason } from './no-answer';

/** What the failed request was doing, so the message can name it. */
export interface KubeAction {
  verb: string;
  resource: string;
  namespace?: string;
  /** The API server's URL, for "cannot reach ..." messages. */
  server?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The HTTP status of a client-node ApiException (`code`), a Watch error (`statusCode`) or a raw response. */
export function httpStatusOf(e: unknown): number | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const o = e as { code?: unknown; statusCode?: unknown; status?: unknown; response?: { statusCode?: unknown; status?: unknown } };
  for (const v of [o.statusCode, o.code, o.status, o.response?.statusCode, o.response?.status]) {
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
  }
  return undefined;
}

/** A Node/fetch network error code (ECONNREFUSED, ...) anywhere in the cause chain. */
export function networkCodeOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const o = cur as { code?: unknown; errno?: unknown; type?: unknown; name?: unknown; cause?: unknown };
    if (typeof o.code === 'string' && NETWORK_CODES.has(o.code)) return o.code;
    if (typeof o.errno === 'string' && NETWORK_CODES.has(o.errno)) return o.errno;
    if (o.type === 'request-timeout' || o.name === 'TimeoutError') return 'ETIMEDOUT';
    cur = o.cause;
  }
  return undefined;
}

/** The `message` of a Kubernetes Status body, when the API server sent one. */
function statusMessage(e: unknown): string | undefined {
  const body = (e as { body?: unknown } | null)?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim() ? body.trim().slice(0, 500) : undefined;
    }
  }
  const msg = (parsed as { message?: unknown } | null)?.message;
  return typeof msg === 'string' && msg ? msg : undefined;
}

function where(action: KubeAction): string {
  return action.namespace ? `${action.resource} in namespace "${action.namespace}"` : action.resource;
}

export const UNREACHABLE_HINT =
  'Is the cluster running? kind: `kind get clusters`, minikube: `minikube status`, dev cluster: `npm run cluster:up`.';

/**
 * Turns anything client-node throws (ApiException, a Watch's error, a fetch/network error, an abort)
 * into a FuncdeckError whose message says what failed and what to do. FuncdeckErrors pass through.
 */
export function toFuncdeckError(e: unknown, action: KubeAction): FuncdeckError {
  if (e instanceof FuncdeckError) return e;
  const status = httpStatusOf(e);
  const serverMsg = statusMessage(e);
  const details = { verb: action.verb, resource: action.resource, ...(action.namespace ? { namespace: action.namespace } : {}) };
  switch (status) {
    case 401:
      return new FuncdeckError(
        'UNAUTHORIZED',
        `The cluster rejected your credentials while trying to ${action.verb} ${where(action)}: they are wrong or expired. Refresh them, e.g. re-run your cloud login or \`kind export kubeconfig\`.`,
        { ...details, status },
      );
    case 403:
      return new FuncdeckError(
        'FORBIDDEN',
        `You are not allowed to ${action.verb} ${where(action)}${serverMsg ? ` (${serverMsg})` : ''}. Ask a cluster admin for RBAC permission to "${action.verb}" "${action.resource}", or use another context.`,
        { ...details, status },
      );
    case 404:
      return new FuncdeckError('NOT_FOUND', `Not found: ${where(action)}${serverMsg ? ` (${serverMsg})` : ''}. It may have been deleted; refresh the view.`, { ...details, status });
    case 409:
      return new FuncdeckError('CONFLICT', `Conflict while trying to ${action.verb} ${where(action)}${serverMsg ? `: ${serverMsg}` : ''}. Someone else changed it; reload and try again.`, { ...details, status });
    case 410:
      return new FuncdeckError('CONFLICT', `The list of ${action.resource} changed too much while watching (410 Gone); it will be reloaded.`, { ...details, status });
    case 422:
    case 400:
      return new FuncdeckError('INVALID_SPEC', `The cluster refused to ${action.verb} ${where(action)}: ${serverMsg ?? `HTTP ${status}`}.`, { ...details, status });
    case 429:
      return new FuncdeckError('TIMEOUT', `The API server is too busy to ${action.verb} ${where(action)} now (HTTP 429, too many requests). Try again in a few seconds.`, { ...details, status });
    case 408:
    case 504:
      return new FuncdeckError('TIMEOUT', `The cluster timed out trying to ${action.verb} ${where(action)}. Try again; if it keeps happening the API server is overloaded.`, { ...details, status });
  }
  if (status !== undefined) {
    return new FuncdeckError(
      status >= 500 ? 'CLUSTER_UNREACHABLE' : 'INTERNAL',
      `The cluster answered HTTP ${status} to ${action.verb} ${where(action)}${serverMsg ? `: ${serverMsg}` : ''}.${status >= 500 ? ` ${UNREACHABLE_HINT}` : ''}`,
      { ...details, status },
    );
  }
  const net = networkCodeOf(e);
  if (net) {
    const server = action.server ?? 'the API server';
    const side = causeOf(e, (e as { connected?: boolean }).connected ?? false);
    return new FuncdeckError('CLUSTER_UNREACHABLE', `Cannot reach ${server} (${net}): ${noAnswerReason(net, side)}. ${UNREACHABLE_HINT}`, {
      ...details,
      network: net,
      source: side,
      ...(action.server ? { server: action.server } : {}),
    });
  }
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'AbortError') return new FuncdeckError('CANCELLED', `Stopped: ${action.verb} ${where(action)} was cancelled.`, details);
  const text = e instanceof Error ? e.message : String(e);
  if (/certificate|self[- ]signed|unable to verify|SSL|TLS/i.test(text)) {
    return new FuncdeckError('KUBECONFIG_INVALID', `TLS to ${action.server ?? 'the API server'} failed: ${text}. Check certificate-authority-data in your kubeconfig.`, details);
  }
  if (/exec|credential|token|ENOENT/i.test(text)) {
    return new FuncdeckError('UNAUTHORIZED', `Could not get credentials to ${action.verb} ${where(action)}: ${text}. Check the user's token, certificate or exec plugin in your kubeconfig.`, details);
  }
  return new FuncdeckError('INTERNAL', `Unexpected error trying to ${action.verb} ${where(action)}: ${text}. This may be a bug in Funcdeck.`, details);
}

/** Errors after which retrying cannot help (credentials, permissions, missing resource). */
export function isPermanentKubeError(e: unknown): boolean {
  const status = httpStatusOf(e);
  if (status === 401 || status === 403 || status === 404) return true;
  return e instanceof FuncdeckError && ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'KUBECONFIG_INVALID', 'CONTEXT_NOT_FOUND'].includes(e.code);
}
