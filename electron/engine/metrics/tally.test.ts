import { describe, expect, it } from 'vitest';
import { runtimeExposition, type FakePod } from './fake-api.test-support';
import { parsePromText } from './prom-text';
import { readRuntimeCounters } from './runtime-series';
import { RequestTally, runBaseline } from './tally';

/** A pod's scrape at time `t`, read from the runtime's own exposition text. */
function read(p: FakePod, t: number) {
  return { pod: p.name, revision: p.revision, scrape: { t, counters: readRuntimeCounters(parsePromText(runtimeExposition('fn', p))) } };
}
function pod(name: string, revision: string, startMs: number, calls: Record<number, number> = {}): FakePod {
  const byCode = new Map(Object.entries(calls).map(([c, n]) => [Number(c), n]));
  return { name, revision, ready: true, startTime: startMs / 1000, byCode, durations: [...byCode.values()].flatMap((n) => Array<number>(n).fill(0.02)) };
}
const requests = (d: Map<string, { byCode: Map<string, number> }>, p: string) => [...(d.get(p)?.byCode.values() ?? [])].reduce((a, b) => a + b, 0);

describe('RequestTally', () => {
  it('counts a pod that started after the baseline from zero on its first scrape, even on the very first tick', () => {
    const t = new RequestTally();
    t.startRun(10_000);
    const fresh = pod('a', '1', 10_500, { 200: 5, 500: 2 });
    const old = pod('b', '1', 9_000, { 200: 100 });
    const d = t.observe([read(fresh, 11_000), read(old, 11_000)], 11_000);
    expect(requests(d, 'a')).toBe(7);
    expect(d.get('a')!.seconds).toBe(1); // over the sample's interval, from the baseline
    expect(d.has('b')).toBe(false); // its 100 calls were before the run: totals only
    expect(t.totals(null)).toEqual({ requests: 107, errors: 2 });
    expect(t.totals('1')).toEqual({ requests: 107, errors: 2 });
  });

  it('puts each later call in exactly one sample, across restarts and departures', () => {
    const t = new RequestTally();
    t.startRun(0);
    const a = pod('a', '1', 500);
    t.observe([read(a, 1000)], 1000);
    a.byCode.set(200, 3);
    expect(requests(t.observe([read(a, 2000)], 2000), 'a')).toBe(3);
    // A pod of revision 2 starts between samples, with 2 calls already answered.
    const b = pod('b', '2', 2500, { 200: 2 });
    a.byCode.set(200, 4);
    const d3 = t.observe([read(a, 3000), read(b, 3000)], 3000);
    expect([requests(d3, 'a'), requests(d3, 'b')]).toEqual([1, 2]);
    // a's container restarts and its new process answers 6 calls before the next scrape.
    const a2 = pod('a', '1', 3500, { 200: 6 });
    expect(requests(t.observe([read(a2, 4000), read(b, 4000)], 4000), 'a')).toBe(6);
    // b goes away: its calls stay in revision 2's total.
    t.retire(new Set(['a']));
    expect(t.totals('2')).toEqual({ requests: 2, errors: 0 });
    expect(t.totals('1')).toEqual({ requests: 10, errors: 0 });
    expect(t.totals(null)).toEqual({ requests: 12, errors: 0 });
  });

  it('after a pause, calls made meanwhile go to the totals only (no sample spans the gap)', () => {
    const t = new RequestTally();
    t.startRun(0);
    const a = pod('a', '1', 500, { 200: 1 });
    t.observe([read(a, 1000)], 1000);
    a.byCode.set(200, 50);
    t.startRun(60_000);
    expect(t.observe([read(a, 61_000)], 61_000).has('a')).toBe(false);
    expect(t.totals(null).requests).toBe(50);
    a.byCode.set(200, 52);
    expect(requests(t.observe([read(a, 62_000)], 62_000), 'a')).toBe(2);
  });
});

describe('runBaseline', () => {
  const dep = (iso: string) => ({ metadata: { creationTimestamp: iso } });
  it('starts at a deploy within the kept history, else when the sampler began', () => {
    const began = Date.parse('2026-01-01T10:00:00Z');
    expect(runBaseline(began, [dep('2026-01-01T09:58:00Z'), dep('2026-01-01T09:00:00Z')])).toBe(Date.parse('2026-01-01T09:58:00Z'));
    expect(runBaseline(began, [dep('2026-01-01T09:00:00Z')])).toBe(began);
    expect(runBaseline(began, [])).toBe(began);
  });
});
