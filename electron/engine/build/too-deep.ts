/**
 * Compilers recurse once per level of nesting, so source nested a few hundred levels deep (brackets,
 * parentheses, unary operators) exhausts their stack. That is a property of the person's code, so it
 * becomes a located build error, not an engine failure.
 */

export const TOO_DEEP_MESSAGE =
  'This code is nested too deeply for the compiler to check (hundreds of levels of brackets, parentheses or operators). ' +
  'Split it into smaller expressions, or build deep data at run time (for example with JSON.parse).';

export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/**
 * The 1-based line where `attempt` first overflows the stack, found by trying ever shorter prefixes
 * of the text (whole lines) by bisection: log2(lines) attempts. 1 when no prefix overflows alone.
 */
export function firstOverflowingLine(text: string, attempt: (prefix: string) => void): number {
  const lines = text.split('\n');
  let lo = 1; // a prefix of lo - 1 lines does not overflow (none does)
  let hi = lines.length; // a prefix of hi lines does (the whole text did)
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    let overflows = false;
    try {
      attempt(lines.slice(0, mid).join('\n'));
    } catch (e) {
      overflows = isStackOverflow(e);
    }
    if (overflows) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}
