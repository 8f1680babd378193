import { describe, expect, it } from 'vitest';
import type { ClusterHealth, ProbeResult } from '../../../shared/contract';
import { connectionView, GIVE_UP_AFTER_MS } from './connection';

const t0 = Date.parse('2026-11-30T10:00:00Z');
const probe = (reachable: boolean, code?: string): ProbeResult => ({
  context: 'dev',
  reachable,
  serverVersion: null,
  latencyMs: null,
  checkedAt: new Date(t0).toISOString(),
  ...(code ? { error: { code: code as never, message: code } } : {}),
});
const health = (state: ClusterHealth['state'], since = t0): ClusterHealth => ({ context: 'dev', state, since: new Date(since).toISOString(), cause: state === 'down' ? 'network' : null, error: null, lastAnswerAt: null, credentials: null });
const base = { probe: probe(true), health: undefined, streamError: null, reached: true, seenDownAt: null, now: t0 };

describe('connectionView', () => {
  it('a cluster that answered and is briefly down is reconnecting, counting from when it went down', () => {
    expect(connectionView({ ...base, probe: probe(false, 'CLUSTER_UNREACHABLE'), health: health('down', t0 - 5000) })).toEqual({ kind: 'reconnecting', since: t0 - 5000 });
    // An engine without health: the probe says so, and the UI's own first sighting is the start.
    expect(connectionView({ ...base, probe: probe(false, 'CLUSTER_UNREACHABLE'), seenDownAt: t0 - 2000 })).toEqual({ kind: 'reconnecting', since: t0 - 2000 });
    expect(connectionView({ ...base, streamError: { code: 'CLUSTER_UNREACHABLE', message: 'x' }, seenDownAt: t0 })).toEqual({ kind: 'reconnecting', since: t0 });
  });
  it('degraded (answering, not ready) is waited out like down', () => {
    expect(connectionView({ ...base, probe: probe(false, 'CLUSTER_UNREACHABLE'), health: health('degraded', t0 - 1000) })).toEqual({ kind: 'reconnecting', since: t0 - 1000 });
  });
  it('the problem screen: never reached since selected, or down past the threshold', () => {
    expect(connectionView({ ...base, reached: false, probe: probe(false, 'CLUSTER_UNREACHABLE'), health: health('down') })).toEqual({ kind: 'problem' });
    expect(connectionView({ ...base, probe: probe(false, 'CLUSTER_UNREACHABLE'), health: health('down', t0 - GIVE_UP_AFTER_MS - 1) })).toEqual({ kind: 'problem' });
  });
  it('refused credentials are a problem at once, never a blip', () => {
    expect(connectionView({ ...base, probe: probe(false, 'UNAUTHORIZED') })).toEqual({ kind: 'problem' });
    expect(connectionView({ ...base, probe: { ...probe(false, 'UNAUTHORIZED'), verdict: 'reachable' }, health: { ...health('up'), credentials: { ok: false, error: null } } })).toEqual({ kind: 'problem' });
  });
  it('back up: ok, even while an older probe still says unreachable', () => {
    expect(connectionView({ ...base, probe: probe(false, 'CLUSTER_UNREACHABLE'), health: health('up') })).toEqual({ kind: 'ok' });
    expect(connectionView(base)).toEqual({ kind: 'ok' });
  });
});
