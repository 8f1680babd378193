/**
 * A cold start's parts travel from the gateway to the caller in the standard Server-Timing response
 * header (browsers' developer tools show it too): `fd-cold;dur=812.4;desc="new-pod hello-r2-abc",
 * fd-scheduling;dur=40, ...`. Both sides use this module.
 */
export const COLD_TIMING = {
  total: 'fd-cold',
  scheduling: 'fd-scheduling',
  containerStart: 'fd-container',
  runtimeReady: 'fd-ready',
  firstByte: 'fd-first-byte',
} as const;

export interface ColdStartParts {
  totalMs: number;
  source: 'new-pod' | 'warm-pool';
  pod: string | null;
  parts: { schedulingMs: number; containerStartMs: number; runtimeReadyMs: number; firstByteMs: number };
}

const ms = (x: number) => Math.max(0, Math.round(x * 10) / 10);

export function formatColdStart(c: ColdStartParts): string {
  const desc = `${c.source}${c.pod ? ` ${c.pod}` : ''}`.replace(/["\\]/g, '');
  return [
    `${COLD_TIMING.total};dur=${ms(c.totalMs)};desc="${desc}"`,
    `${COLD_TIMING.scheduling};dur=${ms(c.parts.schedulingMs)}`,
    `${COLD_TIMING.containerStart};dur=${ms(c.parts.containerStartMs)}`,
    `${COLD_TIMING.runtimeReady};dur=${ms(c.parts.runtimeReadyMs)}`,
    `${COLD_TIMING.firstByte};dur=${ms(c.parts.firstByteMs)}`,
  ].join(', ');
}

/** The cold start in a Server-Timing header value (or several joined), or null when it has none. */
export function parseColdStart(header: string | string[] | undefined): ColdStartParts | null {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (!text) return null;
  const metrics = new Map<string, { dur: number; desc: string }>();
  for (const entry of text.split(',')) {
    const [name, ...params] = entry.trim().split(';');
    if (!name) continue;
    let dur = NaN;
    let desc = '';
    for (const p of params) {
      const [k, v = ''] = p.trim().split('=');
      if (k === 'dur') dur = Number(v);
      if (k === 'desc') desc = v.replace(/^"|"$/g, '');
    }
    metrics.set(name.trim(), { dur, desc });
  }
  const total = metrics.get(COLD_TIMING.total);
  if (!total || !Number.isFinite(total.dur)) return null;
  const part = (n: string) => {
    const d = metrics.get(n)?.dur;
    return d !== undefined && Number.isFinite(d) ? d : 0;
  };
  const [source, ...pod] = total.desc.split(' ');
  return {
    totalMs: total.dur,
    source: source === 'warm-pool' ? 'warm-pool' : 'new-pod',
    pod: pod.join(' ') || null,
    parts: { schedulingMs: part(COLD_TIMING.scheduling), containerStartMs: part(COLD_TIMING.containerStart), runtimeReadyMs: part(COLD_TIMING.runtimeReady), firstByteMs: part(COLD_TIMING.firstByte) },
  };
}
