import { describe, expect, it } from 'vitest';
import { gatewayPort } from './ports';
import { formatColdStart, parseColdStart } from './server-timing';
import { docHash, parseScaleDoc, parseTrafficDoc, routedRevisions, serializeTrafficDoc, type TrafficDoc } from './traffic-doc';

const doc: TrafficDoc = {
  v: 1,
  via: 'gateway',
  port: 23456,
  weights: [{ revision: 1, percent: 90 }, { revision: 2, percent: 10 }],
  tags: [{ name: 'test', revision: 3 }],
  canary: null,
};

describe('traffic doc', () => {
  it('round-trips, with the same text (and hash) for equal docs', () => {
    const text = serializeTrafficDoc(doc);
    expect(parseTrafficDoc(text)).toEqual(doc);
    expect(serializeTrafficDoc(parseTrafficDoc(text)!)).toBe(text);
    expect(docHash(text)).toMatch(/^[0-9a-f]{8}$/);
    expect(docHash(text)).not.toBe(docHash(text.replace('90', '80').replace('10', '20')));
  });

  it('ignores a doc that does not make sense rather than routing by half of it', () => {
    expect(parseTrafficDoc('not json')).toBeNull();
    expect(parseTrafficDoc(serializeTrafficDoc({ ...doc, weights: [{ revision: 1, percent: 90 }] }))).toBeNull(); // sums to 90
    expect(parseTrafficDoc(serializeTrafficDoc({ ...doc, port: 80 }))).toBeNull();
    expect(parseTrafficDoc(serializeTrafficDoc({ ...doc, tags: [{ name: 'Bad Tag', revision: 1 }] }))).toBeNull();
    expect(parseTrafficDoc(undefined)).toBeNull();
  });

  it('lists the revisions it routes to: weighted above 0, tagged, either side of a canary', () => {
    expect([...routedRevisions({ ...doc, weights: [{ revision: 1, percent: 100 }, { revision: 4, percent: 0 }] })].sort()).toEqual([1, 3]);
    const canary = { id: 'x', from: 1, to: 5, steps: [100], stepSeconds: 5, maxErrorRate: 0.5, windowSeconds: 5, minRequests: 1, startedAt: new Date(0).toISOString() };
    expect([...routedRevisions({ weights: [{ revision: 1, percent: 100 }], tags: [], canary })].sort()).toEqual([1, 5]);
  });

  it('reads scale settings, and without them a fixed replica count', () => {
    expect(parseScaleDoc('{"min":0,"max":4,"target":10,"graceSeconds":60}', 1)).toEqual({ min: 0, max: 4, target: 10, graceSeconds: 60 });
    expect(parseScaleDoc(undefined, 2)).toEqual({ min: 2, max: 2, target: 10, graceSeconds: 60 });
    expect(parseScaleDoc('{"min":5,"max":4,"target":10,"graceSeconds":60}', 1)).toEqual({ min: 1, max: 1, target: 10, graceSeconds: 60 });
  });
});

describe('gatewayPort', () => {
  it('is stable for a name and moves past ports in use', () => {
    const p = gatewayPort('hello', []);
    expect(p).toBeGreaterThanOrEqual(20_000);
    expect(p).toBeLessThan(40_000);
    expect(gatewayPort('hello', [])).toBe(p);
    expect(gatewayPort('hello', [p])).not.toBe(p);
  });
});

describe('cold start in Server-Timing', () => {
  it('round-trips the parts', () => {
    const c = { totalMs: 812.44, source: 'new-pod' as const, pod: 'hello-r2-abc', parts: { schedulingMs: 40, containerStartMs: 600, runtimeReadyMs: 150.5, firstByteMs: 20 } };
    expect(parseColdStart(formatColdStart(c))).toEqual({ ...c, totalMs: 812.4 });
    expect(parseColdStart(['other;dur=1', formatColdStart({ ...c, source: 'warm-pool', pod: null })])?.source).toBe('warm-pool');
    expect(parseColdStart('app;dur=3')).toBeNull();
    expect(parseColdStart(undefined)).toBeNull();
  });
});
