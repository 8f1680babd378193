/** One sample of the Prometheus text exposition format (version 0.0.4). */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/**
 * Parses the Prometheus text format: comments and TYPE/HELP lines skipped, label values unescaped
 * (\\, \", \n), NaN/+Inf/-Inf values, optional timestamps ignored. Lines that do not parse are
 * skipped rather than failing the whole scrape.
 */
export function parsePromText(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const s = parseLine(line);
    if (s) out.push(s);
  }
  return out;
}

function parseLine(line: string): PromSample | null {
  const m = NAME.exec(line);
  if (!m) return null;
  const name = m[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const lm = NAME.exec(line.slice(i));
      if (!lm) return null;
      const key = lm[0];
      i += key.length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=') return null;
      i++;
      while (line[i] === ' ') i++;
      if (line[i] !== '"') return null;
      i++;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) return null;
        if (c === '\\') {
          const n = line[i + 1];
          value += n === 'n' ? '\n' : (n ?? '');
          i += 2;
          continue;
        }
        if (c === '"') {
          i++;
          break;
        }
        value += c;
        i++;
      }
      labels[key] = value;
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  const value = parseValue(rest[0]);
  if (value === null) return null;
  return { name, labels, value };
}

function parseValue(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const v = Number(s);
  return Number.isNaN(v) ? null : v;
}
