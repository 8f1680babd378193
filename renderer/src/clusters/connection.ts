import type { ClusterHealth, ErrorShape, ProbeResult } from '../../../shared/contract';

/**
 * How long the selected cluster may be unreachable, after it answered, before the workbench gives way
 * to the problem screen. An API server restart takes seconds (up to ~30 s on a loaded dev cluster);
 * a minute without an answer is a cluster that is down, not a blip.
 */
export const GIVE_UP_AFTER_MS = 60_000;

export type ConnectionView =
  /** Usable, or not checked yet. */
  | { kind: 'ok' }
  /** Briefly unreachable after it answered: keep the workbench, count, resume by itself. */
  | { kind: 'reconnecting'; since: number }
  /** Cannot be used: never reached since selected, unreachable past GIVE_UP_AFTER_MS, or it refuses us. */
  | { kind: 'problem' };

export interface ConnectionInput {
  probe: ProbeResult | undefined;
  /** The selected context's health, pushed by engines that follow it (clusters.watch's `health`). */
  health: ClusterHealth | null | undefined;
  /** A call or stream of this selection failed for want of the cluster (e.g. the functions list). */
  streamError: ErrorShape | null;
  /** The cluster answered since it was selected. */
  reached: boolean;
  /** When the UI first saw it down (used when the engine gives no `since`). */
  seenDownAt: number | null;
  now: number;
}

/** Whether the selected context is down for want of an answer (as opposed to refusing us). */
export function isDown(i: Pick<ConnectionInput, 'probe' | 'health' | 'streamError'>): boolean {
  // Degraded (answers, but not ready: e.g. an API server still starting) is waited out like down.
  if (i.health && i.health.state !== 'unknown') return i.health.state === 'down' || i.health.state === 'degraded';
  if (i.probe && !i.probe.reachable) return (i.probe.error?.code ?? 'CLUSTER_UNREACHABLE') === 'CLUSTER_UNREACHABLE' && i.probe.verdict !== 'reachable';
  return i.streamError?.code === 'CLUSTER_UNREACHABLE';
}

export function connectionView(i: ConnectionInput): ConnectionView {
  if (isDown(i)) {
    const since = i.health && i.health.state !== 'up' && i.health.state !== 'unknown' ? Date.parse(i.health.since) : (i.seenDownAt ?? i.now);
    return i.reached && i.now - since < GIVE_UP_AFTER_MS ? { kind: 'reconnecting', since } : { kind: 'problem' };
  }
  // Answering, but not usable as it is (credentials refused or their plugin failed).
  if (i.probe && !i.probe.reachable && (!i.health || i.health.state !== 'up' || i.health.credentials?.ok === false)) return { kind: 'problem' };
  return { kind: 'ok' };
}
