import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { LogsFollowParams, type LogsBatch } from '../../shared/contract/logs';
import { MetricsWatchParams, type MetricsEvent } from '../../shared/contract/metrics';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { logsHandlers } from '../../electron/engine/logs/handlers';
import { metricsHandlers } from '../../electron/engine/metrics/handlers';
import { createNamespace, deleteNamespace, harness, nodeSpec, type FunctionsHarness } from './support-functions';
import { recordingSink, sleep } from './support-observe';

/**
 * Invoke, logs and metrics against functions deployed by the engine itself (functions.deploy) on
 * both runtime servers: the request id the invoke returns tags the handler's log line, the
 * function's own time comes back, and the runtime's Prometheus series feed the metrics stream.
 */
let ns: string;
let h: FunctionsHarness;

beforeAll(async () => {
  ns = await createNamespace('invrt');
  h = harness(ns);
  await Promise.all([
    h.call('functions.deploy', {
      spec: nodeSpec('rt-js', "exports.main = async (event) => { console.log('got ' + JSON.stringify(event.data)); return { echo: event.data }; };"),
      wait: true,
    }),
    h.call('functions.deploy', {
      spec: {
        name: 'rt-py',
        runtime: 'python' as const,
        handler: 'handler.main',
        files: [{ path: 'handler.py', content: "import json\n\ndef main(event, context):\n    print('got ' + json.dumps(event['data']), flush=True)\n    return {'echo': event['data']}\n" }],
      },
      wait: true,
    }),
  ]);
});

afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe.each(['rt-js', 'rt-py'])('the engine’s %s runtime', (fn) => {
  it('answers an invoke with request id, revision and function time; the id tags its log line; metrics count it', async () => {
    const invoke = invokeHandlers(h.ctx).calls;
    const logs = logsHandlers(h.ctx);
    const metrics = metricsHandlers(h.ctx);
    const logSink = recordingSink<LogsBatch>();
    const logsDone = logs.streams['logs.follow'](LogsFollowParams.parse({ function: fn, tailLines: 0 }), logSink);
    const metricSink = recordingSink<MetricsEvent>();
    const metricsDone = metrics.streams['metrics.watch'](MetricsWatchParams.parse({ function: fn }), metricSink);
    await logSink.until((ev) => ev.some((e) => e.status?.pods.some((p) => p.state === 'following')), 30_000, 'following');
    await metricSink.until((ev) => ev.filter((e) => e.samples.length).length >= 2, 30_000, 'two samples');

    let first: Awaited<ReturnType<(typeof invoke)['invoke.send']>> | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await invoke['invoke.send'](InvokeRequest.parse({ function: fn, method: 'POST', path: '/', body: { kind: 'json', content: JSON.stringify({ n: i }) } }));
      expect(r.status).toBe(200);
      first ??= r;
      await sleep(100);
    }
    expect(first!.body.kind).toBe('json');
    expect(JSON.parse(first!.body.content)).toEqual({ echo: { n: 0 } });
    expect(first!.requestId).toMatch(/^[0-9a-zA-Z-]{4,64}$/);
    expect(first!.revision).toBe('1');
    expect(first!.timing.functionMs).not.toBeNull();

    const printed = fn === 'rt-js' ? 'got {"n":0}' : 'got {"n": 0}'; // JSON.stringify vs json.dumps
    await logSink.until((ev) => ev.some((e) => e.lines.some((l) => l.requestId === first!.requestId && l.text.endsWith(printed))), 45_000, 'the tagged log line');
    await metricSink.until((ev) => ev.some((e) => e.samples.some((s) => s.total.rps > 0 && s.total.p50 !== null)), 45_000, 'requests in the metrics');
    const busy = metricSink.events.flatMap((e) => e.event.samples).filter((s) => s.total.rps > 0);
    console.log(`[runtime ${fn}] request ${first!.requestId} in ${first!.timing.totalMs} ms (function ${first!.timing.functionMs} ms); busiest sample ${JSON.stringify(busy.at(-1)?.total)}`);
    expect(busy.at(-1)!.perRevision['1']!.rps).toBeGreaterThan(0);
    logSink.unsubscribe();
    metricSink.unsubscribe();
    await Promise.all([logsDone, metricsDone]);
  });
});
