import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest, type InvokeRequestInput } from '../../shared/contract/invoke';
import { MetricsEvent, MetricsWatchParams, type MetricsSample } from '../../shared/contract/metrics';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { metricsHandlers } from '../../electron/engine/metrics/handlers';
import { createNamespace, deleteNamespace, deployWorkload, recordingSink, sleep, testEngine, type TestEngine } from './support-observe';

let ns: string;
let engine: TestEngine;
let invoke: ReturnType<typeof invokeHandlers>['calls'];
let metrics: ReturnType<typeof metricsHandlers>;
const send = (req: InvokeRequestInput) => invoke['invoke.send'](InvokeRequest.parse(req));

beforeAll(async () => {
  ns = await createNamespace('metrics');
  engine = await testEngine(ns);
  invoke = invokeHandlers(engine.ctx).calls;
  metrics = metricsHandlers(engine.ctx);
  await deployWorkload(ns, 'meter', { replicas: 2 });
});

afterAll(async () => {
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('metrics.watch', () => {
  it('shows the requests made: rps, error rate, latency quantiles, pods, CPU and memory', async () => {
    const sink = recordingSink<MetricsEvent>();
    const done = metrics.streams['metrics.watch'](MetricsWatchParams.parse({ function: 'meter', intervalMs: 1000 }), sink);
    await sink.until((ev) => ev.filter((e) => e.samples.length).length >= 2, 20_000, 'two samples');
    expect(sink.events[0]!.event.reset).toBe(true);
    // ~4 s of traffic: 10 requests/s of ~20 ms each, one in five failing with 500.
    const t0 = Date.now();
    let sent = 0;
    while (Date.now() - t0 < 4000) {
      const fail = sent % 5 === 4;
      await Promise.all([
        send({ function: 'meter', path: fail ? '/status' : '/sleep', query: [fail ? { name: 'code', value: '500' } : { name: 'ms', value: '20' }] }),
        sleep(100),
      ]);
      sent++;
    }
    await sleep(2500);
    const samples: MetricsSample[] = sink.events.flatMap((e) => e.event.samples);
    for (const e of sink.events) MetricsEvent.parse(e.event);
    const busy = samples.filter((s) => s.total.rps > 0);
    expect(busy.length).toBeGreaterThanOrEqual(2);
    const peak = busy.reduce((a, b) => (b.total.rps > a.total.rps ? b : a));
    console.log(`[metrics] sent ${sent} requests in 4 s; peak sample: ${JSON.stringify(peak.total)}; pods ${JSON.stringify(peak.pods)}; source ${sink.events.at(-1)!.event.usageSource}`);
    expect(peak.total.rps).toBeGreaterThan(3);
    expect(peak.total.rps).toBeLessThan(20);
    expect(peak.perRevision['1']!.rps).toBe(peak.total.rps);
    // Every call is counted once: in one sample, and in the totals since the pods started.
    expect(samples.reduce((n, s) => n + s.total.requests, 0)).toBe(sent);
    expect(samples.reduce((n, s) => n + s.total.errors, 0)).toBe(Math.floor(sent / 5));
    expect(samples.at(-1)!.total.sinceStart).toEqual({ requests: sent, errors: Math.floor(sent / 5) });
    // p50 of the ~20 ms handler, within the bucket that holds it (10..25 ms)
    const p50s = busy.map((s) => s.total.p50).filter((v): v is number => v !== null);
    const p50 = p50s.sort((a, b) => a - b)[Math.floor(p50s.length / 2)]!;
    expect(p50).toBeGreaterThan(5);
    expect(p50).toBeLessThan(50);
    const errorRates = busy.map((s) => s.total.errorRate);
    expect(Math.max(...errorRates)).toBeGreaterThan(0.05);
    expect(Math.max(...errorRates)).toBeLessThan(0.6);
    const last = samples.at(-1)!;
    expect(last.total.podsReady).toBe(2);
    expect(last.total.podsDesired).toBe(2);
    expect(last.pods.length).toBe(2);
    // CPU and memory: from metrics.k8s.io or the kubelet summary; at least memory shows up within a few samples.
    expect(samples.some((s) => s.pods.some((p) => p.memoryBytes !== null && p.memoryBytes > 1024 * 1024))).toBe(true);
    // history is kept for a later subscriber and the history call
    const later = recordingSink<MetricsEvent>();
    const done2 = metrics.streams['metrics.watch'](MetricsWatchParams.parse({ function: 'meter', intervalMs: 2000 }), later);
    await later.until((ev) => ev.length >= 1, 5000, 'history');
    expect(later.events[0]!.event.reset).toBe(true);
    expect(later.events[0]!.event.samples.length).toBeGreaterThanOrEqual(samples.length - 1);
    expect((await metrics.calls['metrics.history']({ function: 'meter' })).length).toBeGreaterThanOrEqual(samples.length - 1);
    later.unsubscribe();
    await done2;
    // a context switch ends the stream
    engine.switchAway();
    await done;
    const n = sink.events.length;
    await sleep(1500);
    expect(sink.events.length).toBe(n);
  });
});
