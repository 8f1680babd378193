import { REQUEST_LOG_PREFIX } from '../../../shared/contract';

/** A line as read from one container's log stream: a sortable timestamp key and the text after it. */
export interface RawLine {
  /** RFC3339 with exactly nine fractional digits and Z, so string order is time order. */
  ts: string;
  text: string;
}

const RFC3339_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * The kubelet writes RFC3339Nano with trailing zeros trimmed ("…:05.1Z" and "…:05.123Z"), which
 * does not sort as text; this pads to nine digits. Other offsets go through Date (ms precision).
 */
export function normalizeTs(ts: string): string | null {
  const m = RFC3339_UTC.exec(ts);
  if (m) return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace(/Z$/, '000000Z');
}

/** Splits "<timestamp> <text>" (the log API with timestamps=true). Null when it carries no timestamp. */
export function parseTimestamped(raw: string): RawLine | null {
  const sp = raw.indexOf(' ');
  const head = sp < 0 ? raw : raw.slice(0, sp);
  const ts = normalizeTs(head);
  if (!ts) return null;
  let text = sp < 0 ? '' : raw.slice(sp + 1);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return { ts, text };
}

/** The request id of a `[req <id>] ` prefixed line, else null. */
export function requestIdOf(text: string): string | null {
  if (!text.startsWith('[req ')) return null;
  const m = REQUEST_LOG_PREFIX.exec(text);
  return m ? m[1]! : null;
}

/** The whole second `seconds` before `ts` (a normalized key), as RFC3339 for the log API's sinceTime. */
export function secondsBefore(ts: string, seconds: number): string {
  const ms = Date.parse(ts.slice(0, 19) + 'Z') - seconds * 1000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The normalized key of a whole-second RFC3339 time, for comparisons with line keys. */
export function keyOfSecond(rfc3339Second: string): string {
  return rfc3339Second.replace(/Z$/, '.000000000Z');
}
