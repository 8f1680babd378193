import type { EventsWatchParams, KubeEvent } from '../../../shared/contract/events';
import type { KubeObject } from '../kube/watch';

/** core/v1 Event as the API returns it (old-style count/lastTimestamp or new-style series/eventTime). */
export interface CoreEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

export function toKubeEvent(e: CoreEvent): KubeEvent {
  const created = (e.metadata?.creationTimestamp as string | undefined) ?? null;
  const first = e.firstTimestamp ?? e.eventTime ?? created;
  const last = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? first;
  return {
    uid: e.metadata?.uid ?? `${e.metadata?.namespace}/${e.metadata?.name}`,
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: (e.message ?? '').slice(0, 4000),
    involvedObject: {
      kind: e.involvedObject?.kind ?? '',
      name: e.involvedObject?.name ?? '',
      namespace: e.involvedObject?.namespace ?? null,
    },
    count: e.series?.count ?? e.count ?? 1,
    firstSeen: first ?? null,
    lastSeen: last ?? null,
    source: e.source?.component || e.reportingComponent || null,
  };
}

/** The server-side part of the filter (exact kind and name). */
export function fieldSelectorFor(p: EventsWatchParams): string | undefined {
  // Field selector values escape \, "," and "=" with a backslash.
  const esc = (v: string) => v.replace(/[\\,=]/g, (c) => `\\${c}`);
  const parts: string[] = [];
  if (p.kind) parts.push(`involvedObject.kind=${esc(p.kind)}`);
  if (p.name) parts.push(`involvedObject.name=${esc(p.name)}`);
  return parts.length ? parts.join(',') : undefined;
}

/** The client-side part: a function's objects are named after it (the function, "<fn>-r3", "<fn>-r3-abc12-xyz"). */
export function matchesFunction(e: KubeEvent, fn: string | undefined): boolean {
  if (!fn) return true;
  const n = e.involvedObject.name;
  return n === fn || n.startsWith(`${fn}-`);
}

/**
 * Newest first, capped at `limit`. With `p.function`, `ownedUids` (the uids of the function's
 * labelled objects) decides: an object merely named like the function is not the function's.
 */
export function selectEvents(all: CoreEvent[], p: EventsWatchParams, ownedUids?: ReadonlySet<string>): { events: KubeEvent[]; truncated: boolean } {
  const limit = p.limit ?? 200;
  const events = all
    .filter((e) => !p.function || !ownedUids || ownedUids.has(e.involvedObject?.uid ?? ''))
    .map(toKubeEvent)
    .filter((e) => matchesFunction(e, p.function))
    .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.uid.localeCompare(b.uid));
  return { events: events.slice(0, limit), truncated: events.length > limit };
}
