import { stringify } from 'yaml';
import { yamlSafeJson } from '../../deploy/yaml-safe-json';

/**
 * Objects as one multi-document YAML text for `kubectl apply -f`. Readable YAML (sources as literal
 * blocks) where every string is plain printable text; a document holding characters YAML refuses or
 * folds (DEL, C1 controls, NEL, U+2028/2029, U+FEFF, U+FFFE/FFFF, other C0 controls) is written as
 * escaped JSON instead, which YAML reads back exactly (yaml-safe-json.ts), so nothing changes on
 * its way to the API server.
 */

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

function hasUnsafeText(value: unknown): boolean {
  if (typeof value === 'string') return NEEDS_ESCAPES.test(value);
  if (Array.isArray(value)) return value.some(hasUnsafeText);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => NEEDS_ESCAPES.test(k) || hasUnsafeText(v));
  return false;
}

export function yamlDocuments(header: string[], objects: unknown[]): string {
  const comments = header.map((l) => `# ${l}`.trimEnd()).join('\n');
  const docs = objects.map((o) => (hasUnsafeText(o) ? `${yamlSafeJson(o)}\n` : stringify(o, { lineWidth: 0, blockQuote: 'literal' })));
  return `${comments}\n${docs.map((d) => `---\n${d}`).join('')}`;
}
