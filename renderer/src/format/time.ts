/**
 * The one way the UI writes a moment: local 24-hour clock time, "16:24:49" (with milliseconds for
 * log lines, "16:24:49.746"), and the date before it when it is not today ("2026-11-30 16:24:49").
 * Hand-written rather than Intl: the logs panel formats thousands of lines a second.
 */
export function clockTime(at: string | number | Date, opts: { ms?: boolean; now?: Date } = {}): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return '—';
  const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  let text = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
  if (opts.ms) text += `.${String(d.getMilliseconds()).padStart(3, '0')}`;
  const now = opts.now ?? new Date();
  if (d.getFullYear() !== now.getFullYear() || d.getMonth() !== now.getMonth() || d.getDate() !== now.getDate()) {
    text = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${text}`;
  }
  return text;
}

/** Clock time for a chart's axis: hours, minutes and seconds only (the axis spans minutes). */
export function axisTime(at: number | Date): string {
  return clockTime(at, { now: at instanceof Date ? at : new Date(at) });
}
