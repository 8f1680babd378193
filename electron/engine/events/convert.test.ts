import { describe, expect, it } from 'vitest';
import { fieldSelectorFor, selectEvents, type CoreEvent } from './convert';

const ev = (name: string, uid: string, last: string, extra: Partial<CoreEvent> = {}): CoreEvent => ({
  metadata: { uid, name: `${name}.1`, namespace: 'ns' },
  involvedObject: { kind: 'Pod', name, namespace: 'ns' },
  reason: 'Pulled',
  message: 'ok',
  lastTimestamp: last,
  count: 2,
  ...extra,
});

describe('events conversion', () => {
  it('filters by function name prefix, sorts newest first and caps', () => {
    const all = [
      ev('hello-r1-abc', '1', '2026-01-01T00:00:01Z'),
      ev('hello', '2', '2026-01-01T00:00:03Z'),
      ev('hello2-r1-x', '3', '2026-01-01T00:00:05Z'),
      ev('other', '4', '2026-01-01T00:00:04Z'),
      ev('hello-r2-def', '5', '2026-01-01T00:00:02Z', { lastTimestamp: null, series: { count: 7, lastObservedTime: '2026-01-01T00:00:09Z' } }),
    ];
    const r = selectEvents(all, { function: 'hello', limit: 2 });
    expect(r.events.map((e) => e.uid)).toEqual(['5', '2']);
    expect(r.events[0]!.count).toBe(7);
    expect(r.truncated).toBe(true);
    expect(selectEvents(all, {}).events).toHaveLength(5);
  });

  it("keeps a function's events only for objects with its labels (by uid), not look-alike names", () => {
    const withUid = (name: string, uid: string) => ev(name, `e-${uid}`, '2026-01-01T00:00:01Z', { involvedObject: { kind: 'Service', name, namespace: 'ns', uid } });
    const all = [withUid('hello', 'users-service'), withUid('hello', 'our-service'), withUid('hello-r1-abc', 'our-pod')];
    expect(selectEvents(all, { function: 'hello' }, new Set(['our-service', 'our-pod'])).events.map((e) => e.uid)).toEqual(['e-our-pod', 'e-our-service']);
    expect(selectEvents(all, { function: 'hello' }, new Set()).events).toEqual([]);
  });

  it('builds the server-side field selector from kind and name', () => {
    expect(fieldSelectorFor({ kind: 'Pod', name: 'p' })).toBe('involvedObject.kind=Pod,involvedObject.name=p');
    expect(fieldSelectorFor({})).toBeUndefined();
  });
});
