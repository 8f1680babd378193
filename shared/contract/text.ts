/**
 * Which characters a piece of text may hold, per place it goes. Sources, the dependency manifest and
 * the cron payload are stored in Kubernetes objects sent as JSON with every non-printable code point
 * escaped, so any Unicode scalar value round-trips there (DEL, C1 controls, NEL, U+2028, U+FEFF,
 * U+FFFE, emoji, CR LF). What cannot is a lone surrogate: it is not Unicode text, UTF-8 cannot carry
 * it and the API server stores U+FFFD in its place. Environment values reach the process through
 * execve, whose strings end at NUL. HTTP header values are Latin-1 without control characters.
 */

/** A character's position in a text: 1-based line and column as editors count them (UTF-16 units). */
export interface TextSpot {
  line: number;
  column: number;
  codePoint: number;
}

/** "U+D800" */
export function codePointName(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** How a character is named in a message: printable ones shown, the rest described. */
export function describeCharacter(cp: number): string {
  const u = codePointName(cp);
  if (cp >= 0xd800 && cp <= 0xdfff) return `a lone surrogate (${u})`;
  if (cp === 0) return `a NUL character (${u})`;
  if (cp === 0x7f) return `DEL (${u})`;
  if (cp < 0x20 || (cp >= 0x80 && cp <= 0x9f)) return `a control character (${u})`;
  return `"${String.fromCodePoint(cp)}" (${u})`;
}

/** Line and column of the UTF-16 index `at`; lines break at LF, CR LF and a lone CR, as in the editor. */
export function spotAt(text: string, at: number): TextSpot {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1, codePoint: text.codePointAt(at) ?? 0 };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_OR_NUL = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function firstMatch(text: string, re: RegExp): TextSpot | null {
  const m = re.exec(text);
  return m ? spotAt(text, m.index) : null;
}

/** The first character a stored text (source file, manifest, payload) cannot keep, or null. */
export function unstorableInText(text: string): TextSpot | null {
  return firstMatch(text, LONE_SURROGATE);
}

/** The first character an environment value cannot carry (NUL ends it; lone surrogates are not text), or null. */
export function unstorableInEnvValue(text: string): TextSpot | null {
  return firstMatch(text, LONE_SURROGATE_OR_NUL);
}

/** "line 3, column 7: a lone surrogate (U+D800)" */
export function describeSpot(spot: TextSpot): string {
  return `line ${spot.line}, column ${spot.column}: ${describeCharacter(spot.codePoint)}`;
}

/**
 * Why an HTTP header value cannot be sent, or null when it can. HTTP carries header values as
 * Latin-1 bytes (Node refuses anything else), and control characters other than tab are not allowed.
 */
export function headerValueProblem(name: string, value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x09 || (c >= 0x20 && c !== 0x7f && c <= 0xff && !(c >= 0x80 && c <= 0x9f))) continue;
    const cp = value.codePointAt(i) ?? c;
    const where = `at character ${i + 1}`;
    if (c === 0x0d || c === 0x0a) return `The value of header "${name}" contains a line break ${where}; a header value is one line. Remove it.`;
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) {
      return `The value of header "${name}" contains ${describeCharacter(cp)} ${where}; header values cannot carry control characters. Remove it.`;
    }
    return (
      `The value of header "${name}" contains ${describeCharacter(cp)} ${where}; header values can only carry Latin-1 text. ` +
      'Send the text in the body or the query instead, or percent-encode it (encodeURIComponent) and decode it in the handler.'
    );
  }
  return null;
}
