import type http from 'node:http';

/** Which side did not answer a request that got no HTTP response. */
export type NoAnswerCause = 'network' | 'api-server';

/**
 * A request that got no HTTP response: `stage` says how far it got. Shaped like Node's network
 * errors (`code`), so the existing mappers (toFuncdeckError, kubeFailure) still recognise it.
 */
export class NoAnswerError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly side: NoAnswerCause,
    readonly connected: boolean,
  ) {
    super(message);
  }
}

/** Tracks whether a request's socket got connected, to tell "no route" from "connected, no answer". */
export function trackConnect(req: http.ClientRequest): () => boolean {
  let connected = false;
  req.on('socket', (s) => {
    if (!s.connecting) connected = true;
    else s.once('connect', () => (connected = true));
  });
  return () => connected;
}

/**
 * Who failed to answer, from a request error and whether its socket had connected: a refused
 * connection means nothing listens there (the API server is not running); DNS, routing and connect
 * timeouts are the network; a connection that was accepted but then timed out or was cut is the API server.
 */
export function causeOf(e: unknown, connected: boolean): NoAnswerCause {
  if (e instanceof NoAnswerError) return e.side;
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED') return 'api-server';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'network';
  return connected ? 'api-server' : 'network';
}

/** Network-level failures worth recording as "did not answer" (not an abort, not a TLS setup error). */
export function isNoAnswer(e: unknown): boolean {
  if (e instanceof NoAnswerError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED)$/.test(code);
}

/** Why nothing answered, in words, after "Cannot reach <server> (<code>)". */
export function noAnswerReason(code: string | undefined, side: NoAnswerCause): string {
  if (code === 'ECONNREFUSED') return 'nothing accepts connections there, so its API server is not running';
  if (side === 'network') return 'the network does not get there (address, DNS, VPN or route)';
  return 'it accepted the connection but sent no answer: the API server may be frozen, overloaded or restarting';
}
