import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { MetricsEvent, MetricsWatchParams, type MetricsSample } from '../../shared/contract/metrics';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { metricsHandlers } from '../../electron/engine/metrics/handlers';
import { createNamespace, deleteNamespace, harness, nodeSpec, type FunctionsHarness } from './support-functions';
import { recordingSink, sleep } from './support-observe';

/**
 * Metrics count every call (issue 8 §4), on functions deployed by the engine with the real Node
 * runtime: calls made right after a deploy, before anyone watched, are in the totals and the
 * samples; calls a second or more apart are in different samples.
 */
let ns: string;
let h: FunctionsHarness;
const HANDLER = "exports.main = async (event) => { if (event.data && event.data.fail) throw new Error('asked to fail'); return 'ok'; };";

beforeAll(async () => {
  ns = await createNamespace('mcount');
  h = harness(ns);
});

afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

const call = (fn: string, fail = false) =>
  invokeHandlers(h.ctx).calls['invoke.send'](InvokeRequest.parse({ function: fn, method: 'POST', path: '/', body: { kind: 'json', content: JSON.stringify({ fail }) } }));

function watch(fn: string) {
  const sink = recordingSink<MetricsEvent>();
  const done = metricsHandlers(h.ctx).streams['metrics.watch'](MetricsWatchParams.parse({ function: fn, intervalMs: 1000 }), sink);
  const samples = (): MetricsSample[] => sink.events.flatMap((e) => MetricsEvent.parse(e.event).samples);
  return {
    sink,
    samples,
    async stop() {
      sink.unsubscribe();
      await done;
    },
  };
}

describe('metrics count every call', () => {
  it('deploy, then at once 7 calls, then open the metrics: the totals say exactly 7, errors exactly the 5xx answers', async () => {
    await h.call('functions.deploy', { spec: nodeSpec('count7', HANDLER), wait: true });
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => call('count7', i % 3 === 2)));
    const errors = answers.filter((a) => a.status >= 500).length;
    expect(errors).toBe(2);
    const w = watch('count7');
    await w.sink.until((ev) => ev.some((e) => e.samples.length > 0), 30_000, 'the first sample');
    const first = w.samples()[0]!;
    console.log(`[metrics] first sample after 7 calls: ${JSON.stringify(first.total)}; pods ${JSON.stringify(first.pods.map((p) => [p.pod, p.ready]))}`);
    expect(first.total.sinceStart).toEqual({ requests: 7, errors });
    expect(first.perRevision['1']!.sinceStart).toEqual({ requests: 7, errors });
    // The calls came after the deploy, so the samples hold them too (no call is left out as a baseline),
    // also when the pod answered them before the kubelet's readiness probe passed (it often has not yet).
    expect(w.samples().reduce((n, s) => n + s.total.requests, 0)).toBe(7);
    expect(w.samples().reduce((n, s) => n + s.total.errors, 0)).toBe(errors);
    await w.stop();
  });

  it('two calls 1.2 s apart land in two different samples, each in the one read after it', async () => {
    await h.call('functions.deploy', { spec: nodeSpec('apart', HANDLER), wait: true });
    const w = watch('apart');
    await w.sink.until((ev) => ev.filter((e) => e.samples.length).length >= 2, 30_000, 'two samples');
    const before = w.samples().at(-1)!.total.sinceStart.requests;
    const sent: number[] = [];
    sent.push(Date.now());
    expect((await call('apart')).status).toBe(200);
    // At least 1.2 s later, and after the sampler has read the first call (a loaded machine may
    // stretch one interval; the question here is only whether the two calls are told apart).
    await Promise.all([sleep(1200), w.sink.until((ev) => ev.some((e) => e.samples.some((s) => s.total.sinceStart.requests === before + 1)), 30_000, 'the first call')]);
    sent.push(Date.now());
    expect((await call('apart')).status).toBe(200);
    await w.sink.until((ev) => ev.some((e) => e.samples.some((s) => s.total.sinceStart.requests === before + 2)), 30_000, 'the second call');
    const busy = w.samples().filter((s) => s.total.requests > 0);
    console.log(`[metrics] calls sent at +0 and +${sent[1]! - sent[0]!} ms; samples with calls at ${busy.map((s) => `${s.t - sent[0]!} ms: ${s.total.requests} (${s.total.rps}/s)`).join(', ')}`);
    expect(busy.map((s) => s.total.requests)).toEqual([1, 1]);
    // Each in a sample read after it was sent.
    expect(busy[0]!.t).toBeGreaterThan(sent[0]!);
    expect(busy[1]!.t).toBeGreaterThan(sent[1]!);
    await w.stop();
  });
});
