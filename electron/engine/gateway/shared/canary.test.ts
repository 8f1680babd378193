import { describe, expect, it } from 'vitest';
import { evaluateCanary, startProgress } from './canary';

const doc = { id: 'c1', from: 1, to: 2, steps: [10, 50, 100], stepSeconds: 30, maxErrorRate: 0.2, windowSeconds: 30, minRequests: 10, startedAt: '2026-01-01T00:00:00.000Z' };
const t0 = Date.parse(doc.startedAt);
const quiet = { requests: 0, errors: 0 };

describe('canary step machine', () => {
  it('moves one step per stepSeconds and is promoted after the last', () => {
    let p = startProgress(doc);
    expect(p).toMatchObject({ phase: 'running', step: 0, stepStartedAt: t0 });
    expect(evaluateCanary(doc, p, quiet, t0 + 29_999)).toMatchObject({ progress: { step: 0 }, event: null });
    let o = evaluateCanary(doc, p, quiet, t0 + 30_000);
    expect(o.progress).toMatchObject({ phase: 'running', step: 1, stepStartedAt: t0 + 30_000 });
    expect(o.event).toMatchObject({ type: 'Normal', reason: 'CanaryStep' });
    expect(o.event!.message).toContain('50%');
    p = o.progress;
    o = evaluateCanary(doc, p, quiet, t0 + 60_000);
    expect(o.progress.step).toBe(2);
    o = evaluateCanary(doc, o.progress, quiet, t0 + 90_000);
    expect(o.progress).toMatchObject({ phase: 'promoted', finishedAt: t0 + 90_000 });
    expect(o.event!.reason).toBe('CanaryPromoted');
    // finished canaries do not change any more
    expect(evaluateCanary(doc, o.progress, { requests: 100, errors: 100 }, t0 + 999_999)).toEqual({ progress: o.progress, event: null });
  });

  it('rolls back when the error rate passes the limit, naming the figures', () => {
    const o = evaluateCanary(doc, startProgress(doc), { requests: 24, errors: 12 }, t0 + 5000);
    expect(o.progress).toMatchObject({ phase: 'rolled-back', finishedAt: t0 + 5000 });
    expect(o.event).toMatchObject({ type: 'Warning', reason: 'CanaryRolledBack' });
    expect(o.progress.reason).toBe('Revision 2 failed 12 of its 24 calls (50%) over the last 30 s, above the 20% limit; all traffic went back to revision 1.');
  });

  it('gives no verdict on fewer calls than minRequests, nor at exactly the limit', () => {
    expect(evaluateCanary(doc, startProgress(doc), { requests: 9, errors: 9 }, t0 + 1000).progress.phase).toBe('running');
    expect(evaluateCanary(doc, startProgress(doc), { requests: 10, errors: 2 }, t0 + 1000).progress.phase).toBe('running');
    expect(evaluateCanary(doc, startProgress(doc), { requests: 10, errors: 3 }, t0 + 1000).progress.phase).toBe('rolled-back');
  });
});
