import type { InvokeRequestInput } from '../../../../shared/contract/invoke';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The same call as a curl command through `kubectl proxy` (how Funcdeck itself reaches the function:
 * the API server's service proxy), so it can be repeated in a terminal.
 */
export function toCurl(req: InvokeRequestInput, context: string, namespace: string): string {
  const query = (req.query ?? []).map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&');
  const url = `http://127.0.0.1:8001/api/v1/namespaces/${namespace}/services/${req.function}/proxy${req.path ?? '/'}${query ? `?${query}` : ''}`;
  const parts = [`curl -sS -X ${req.method ?? 'GET'} ${q(url)}`];
  for (const h of req.headers ?? []) parts.push(`-H ${q(`${h.name}: ${h.value}`)}`);
  const body = req.body;
  if (body && body.kind === 'json' && !(req.headers ?? []).some((h) => h.name.toLowerCase() === 'content-type')) {
    parts.push(`-H 'content-type: application/json'`);
  }
  if (body && body.kind !== 'base64' && body.content) parts.push(`--data-raw ${q(body.content)}`);
  if (body && body.kind === 'base64') parts.push(`--data-binary @- <<< "$(echo ${q(body.content)} | base64 -d)"`);
  return `# first, in another terminal: kubectl --context ${q(context)} proxy --port=8001\n${parts.join(' \\\n  ')}`;
}
