import { FuncdeckError } from '../../../shared/contract';
import { ApiStatusError } from './api-connection';
import { causeOf, noAnswerReason } from './no-answer';

const NETWORK = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|UND_ERR_\w+)$/;

/** The failure of one API request made with an ApiConnection, as a FuncdeckError that says what to do. */
export function kubeFailure(e: unknown, server: string, doing: string): FuncdeckError {
  if (e instanceof FuncdeckError) return e;
  if (e instanceof ApiStatusError) {
    switch (e.statusCode) {
      case 401:
        return new FuncdeckError('UNAUTHORIZED', `The cluster rejected your credentials while trying to ${doing}. Refresh them (e.g. re-run your cloud login).`, { status: 401 });
      case 403:
        return new FuncdeckError('FORBIDDEN', `You are not allowed to ${doing}: ${e.message}. Ask a cluster admin for the RBAC permission.`, { status: 403 });
      case 404:
        return new FuncdeckError('NOT_FOUND', `Not found while trying to ${doing}: ${e.message}.`, { status: 404 });
      case 429:
        return new FuncdeckError('TIMEOUT', `The API server is too busy to ${doing} now (HTTP 429, too many requests). Try again in a few seconds.`, { status: 429 });
      default:
        return new FuncdeckError(e.statusCode >= 500 ? 'CLUSTER_UNREACHABLE' : 'INTERNAL', `The cluster answered ${e.message} while trying to ${doing}.`, { status: e.statusCode });
    }
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK.test(code)) {
    const side = causeOf(e, (e as { connected?: boolean }).connected ?? false);
    return new FuncdeckError(
      'CLUSTER_UNREACHABLE',
      `Cannot reach the API server ${server} (${code}) to ${doing}: ${noAnswerReason(code, side)}. Is the cluster running? Dev cluster: \`npm run cluster:up\`.`,
      { network: code, server, source: side },
    );
  }
  const text = e instanceof Error ? e.message : String(e);
  if (/certificate|self[- ]signed|unable to verify|SSL|TLS/i.test(text)) {
    return new FuncdeckError('KUBECONFIG_INVALID', `TLS to ${server} failed: ${text}. Check certificate-authority-data in your kubeconfig.`);
  }
  return new FuncdeckError('INTERNAL', `Unexpected error trying to ${doing}: ${text}. This may be a bug in Funcdeck.`);
}
