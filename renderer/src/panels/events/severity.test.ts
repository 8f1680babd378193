import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../../../shared/contract/events';
import { eventSeverity } from './severity';

const ev = (over: Partial<KubeEvent>): KubeEvent => ({
  uid: Math.random().toString(36),
  type: 'Normal',
  reason: 'Started',
  message: 'Started container fn',
  involvedObject: { kind: 'Pod', name: 'hello-1-abc', namespace: 'apps' },
  count: 1,
  firstSeen: '2026-11-30T10:00:00Z',
  lastSeen: '2026-11-30T10:00:00Z',
  source: 'kubelet',
  ...over,
});
const probe = (first: string, last: string, pod = 'hello-1-abc') =>
  ev({ type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: Get "http://10.0.0.5:8090/readyz": connection refused', firstSeen: first, lastSeen: last, count: 3, involvedObject: { kind: 'Pod', name: pod, namespace: 'apps' } });

describe('eventSeverity', () => {
  it('readiness failures while the pod starts are info; failures that go on past the start are warnings', () => {
    const started = ev({});
    const starting = probe('2026-11-30T10:00:01Z', '2026-11-30T10:00:04Z');
    const persisting = probe('2026-11-30T10:00:01Z', '2026-11-30T10:03:00Z');
    expect(eventSeverity(starting, [started, starting])).toBe('info');
    expect(eventSeverity(persisting, [started, persisting])).toBe('warning');
    // A readiness failure long after the pod started is a warning even if it was short.
    const late = probe('2026-11-30T11:00:00Z', '2026-11-30T11:00:02Z');
    expect(eventSeverity(late, [started, late])).toBe('warning');
    // The Started event expired: its own span decides.
    expect(eventSeverity(starting, [starting])).toBe('info');
  });
  it('other warnings stay warnings, normal events are info', () => {
    expect(eventSeverity(ev({ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' }), [])).toBe('warning');
    expect(eventSeverity(ev({ type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed: x' }), [])).toBe('warning');
    expect(eventSeverity(ev({}), [])).toBe('info');
  });
});
