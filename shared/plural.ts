const rules = new Intl.PluralRules('en');
const numbers = new Intl.NumberFormat('en');

/**
 * "1 line", "2 lines", "1,234 lines": the count and the word in the form English needs (Intl.PluralRules),
 * the one way the UI and the engine write a count. `many` defaults to `one` + "s".
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${numbers.format(count)} ${pluralWord(count, one, many)}`;
}

/** The word alone, for a count shown apart ("<strong>3</strong> calls"). */
export function pluralWord(count: number, one: string, many = `${one}s`): string {
  return rules.select(count) === 'one' ? one : many;
}
