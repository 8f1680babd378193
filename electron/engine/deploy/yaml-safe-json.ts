/**
 * JSON text that a YAML parser reads back as exactly the same value.
 *
 * Server-side apply bodies are parsed as YAML (`application/apply-patch+yaml`). JSON is YAML, but
 * JSON.stringify leaves some characters raw that YAML refuses ("control characters are not allowed":
 * DEL, C1 controls, U+FFFE/FFFF) or reads as something else (NEL, U+2028 and U+2029 are YAML 1.1 line
 * breaks and fold into a space; U+FEFF is a byte-order mark). Each of those is written as a \uXXXX
 * escape, which JSON and YAML double-quoted strings both read the same way. Outside strings JSON
 * text is ASCII, so escaping the whole text touches only string contents.
 *
 * Lone surrogates (UTF-16 halves without their pair) are no Unicode text at all: the API server
 * cannot store them (Go turns them into U+FFFD or refuses them), so they are refused here, naming
 * where they are, rather than silently changed.
 */

// Everything outside YAML's printable set, plus the characters YAML 1.1 treats as line breaks or a BOM.
// C0 controls are not listed: JSON.stringify already escapes them.
const NOT_YAML_SAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export class IllFormedTextError extends Error {
  constructor(
    /** Where in the value, e.g. `data.file-0` or `metadata.labels`. */
    readonly path: string,
    /** UTF-16 offset of the first lone surrogate in that string. */
    readonly offset: number,
  ) {
    super(`The text at ${path || '(top)'} contains a lone UTF-16 surrogate at offset ${offset}, which is not valid Unicode and cannot be stored in the cluster.`);
    this.name = 'IllFormedTextError';
  }
}

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The first lone surrogate in `value` (keys included), or null when every string is well-formed. */
export function findLoneSurrogate(value: unknown, path = ''): { path: string; offset: number } | null {
  if (typeof value === 'string') {
    const m = LONE_SURROGATE.exec(value);
    return m ? { path, offset: m.index } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findLoneSurrogate(v, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      const m = LONE_SURROGATE.exec(k);
      if (m) return { path: at, offset: m.index };
      const found = findLoneSurrogate(v, at);
      if (found) return found;
    }
  }
  return null;
}

/** JSON.stringify(value), with every character YAML would refuse or change written as \uXXXX. */
export function yamlSafeJson(value: unknown): string {
  const text = JSON.stringify(value);
  // JSON.stringify escapes lone surrogates as "\udXXX"; the value itself says whether there are any.
  if (/\\ud[89a-f]/i.test(text)) {
    const found = findLoneSurrogate(value);
    if (found) throw new IllFormedTextError(found.path, found.offset);
  }
  return text.replace(NOT_YAML_SAFE, escapeChar);
}
