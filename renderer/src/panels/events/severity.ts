import type { KubeEvent } from '../../../../shared/contract/events';

/** How long a new pod may fail its readiness probe before that is a problem rather than a start. */
export const STARTUP_GRACE_MS = 60_000;

const ms = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);

/**
 * How an event should look: 'warning' (red) or 'info' (grey). A readiness probe failing while its pod
 * starts is normal (the runtime is still loading the handler), so such a Warning is 'info' as long
 * as it stops within STARTUP_GRACE_MS of the pod's start (its Started event, or its own first report
 * when that event has expired); one that goes on past that is a 'warning'.
 */
export function eventSeverity(e: KubeEvent, all: KubeEvent[]): 'warning' | 'info' {
  if (e.type !== 'Warning') return 'info';
  if (e.reason !== 'Unhealthy' || !/^Readiness probe failed/.test(e.message)) return 'warning';
  const started = all.find((o) => o.reason === 'Started' && o.involvedObject.kind === e.involvedObject.kind && o.involvedObject.name === e.involvedObject.name);
  const from = Number.isFinite(ms(started?.firstSeen ?? null)) ? ms(started!.firstSeen) : ms(e.firstSeen);
  const last = ms(e.lastSeen ?? e.firstSeen);
  if (!Number.isFinite(from) || !Number.isFinite(last)) return 'warning';
  return last - from <= STARTUP_GRACE_MS ? 'info' : 'warning';
}
