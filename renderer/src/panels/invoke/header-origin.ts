import type { NameValue } from '../../../../shared/contract/invoke';

/**
 * Headers the API server's service proxy adds to every answer it relays: its audit id, API priority
 * and fairness ids, and its own "cache-control: no-cache, private". They say nothing about the function.
 */
const API_SERVER_HEADERS = new Set(['audit-id', 'x-kubernetes-pf-flowschema-uid', 'x-kubernetes-pf-prioritylevel-uid']);

export function isApiServerHeader(h: NameValue): boolean {
  const name = h.name.toLowerCase();
  return API_SERVER_HEADERS.has(name) || (name === 'cache-control' && h.value.trim().toLowerCase() === 'no-cache, private');
}

/** The answer's headers split by who set them, each group in the order received. */
export function splitHeaders(headers: NameValue[]): { fromFunction: NameValue[]; fromApiServer: NameValue[] } {
  return { fromFunction: headers.filter((h) => !isApiServerHeader(h)), fromApiServer: headers.filter(isApiServerHeader) };
}
