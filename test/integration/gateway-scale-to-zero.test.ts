import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsHandlers } from '../../electron/engine/metrics/handlers';
import type { MetricsEvent } from '../../shared/contract/metrics';
import { recordingSink } from './support-observe';
import { kubeRequest } from '../../electron/engine/kube/http';
import { OPS_PORT } from '../../electron/engine/gateway/shared/constants';
import { cluster, core, invoke, nodeSpec, sleep, type FunctionsHarness } from './support-functions';
import { apps, gatewayPods, mergePatch, runInside, tally, openGatewaySuite, type GatewaySuite } from './support-gateway';
import { POOL_PORT } from '../../electron/engine/gateway/shared/constants';
import { poolLabels } from '../../electron/engine/gateway/manifests';

/**
 * Scale to zero: a function with scale.min 0 goes to zero pods after its idle grace; the first call
 * is held while a pod starts and then served, marked as a cold start with its parts; a burst of 200
 * concurrent calls at zero pods is served without an error; a revision that cannot start answers a
 * clear 503 naming the pod's reason instead of hanging.
 */
let ns: string;
let h: FunctionsHarness;
let send: (req: unknown) => Promise<import('../../shared/contract/invoke').InvokeResult>;
const GRACE = 8;
const spec = nodeSpec('sleepy', "exports.main = async (event) => 'awake ' + (event.data || '');\n", { scale: { min: 0, max: 1, scaleToZeroGraceSeconds: GRACE } });

async function replicas(): Promise<{ spec: number; pods: number }> {
  const d = await apps.readNamespacedDeployment({ name: 'sleepy-r1', namespace: ns });
  const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'funcdeck.dev/function=sleepy' });
  return { spec: d.spec?.replicas ?? -1, pods: pods.items.length };
}

/** Waits for zero replicas and zero pods; returns when the Deployment went to zero (ms since the epoch). */
async function untilZero(timeoutMs = 90_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let zeroAt: number | null = null;
  for (;;) {
    const r = await replicas();
    if (r.spec === 0) zeroAt ??= Date.now();
    if (r.spec === 0 && r.pods === 0) return zeroAt!;
    if (Date.now() > deadline) throw new Error(`did not scale to zero: ${JSON.stringify(r)}`);
    await sleep(200);
  }
}

let suite: GatewaySuite | undefined;
beforeAll(async () => {
  suite = await openGatewaySuite('gwzero');
  ({ ns, h, send } = suite);
});
afterAll(() => suite?.close());

describe('gateway: scale to zero', () => {
  it('goes to zero pods after the idle grace, not before', async () => {
    await h.call('functions.deploy', { spec, wait: true });
    const state = await h.call('traffic.get', { name: 'sleepy' });
    expect(state).toMatchObject({ via: 'gateway', gatewayReason: 'revision 1 scales to zero when idle' });
    const warm = await send({ function: 'sleepy', method: 'POST', body: { kind: 'text', content: 'warm' } });
    expect(warm).toMatchObject({ status: 200, coldStart: null });
    expect(warm.body.content).toBe('awake warm');
    const lastCall = Date.now();
    const zeroAt = await untilZero();
    expect(zeroAt - lastCall).toBeGreaterThanOrEqual((GRACE - 1) * 1000);
    const list = await h.call('functions.list', {});
    expect(list.find((f) => f.name === 'sleepy')).toMatchObject({ status: 'ScaledToZero', replicas: { ready: 0, desired: 0 } });
  });

  it('holds the first call while a warm pool pod takes the revision, serves it, and says where the time went', async () => {
    const res = await send({ function: 'sleepy', method: 'POST', body: { kind: 'text', content: 'cold' }, timeoutMs: 60_000 });
    expect(res.status).toBe(200);
    expect(res.body.content).toBe('awake cold');
    const c = res.coldStart!;
    expect(c).toMatchObject({ source: 'warm-pool', pod: expect.stringMatching(/^funcdeck-pool-nodejs-/) });
    const sum = c.parts.schedulingMs + c.parts.containerStartMs + c.parts.runtimeReadyMs + c.parts.firstByteMs;
    expect(c.totalMs).toBeGreaterThan(0);
    expect(Math.abs(c.totalMs - sum)).toBeLessThan(50); // the parts add up to the whole
    expect(res.timing.totalMs).toBeGreaterThanOrEqual(c.totalMs - 5);
    console.log(`[gateway] cold start from the warm pool ${Math.round(c.totalMs)} ms: ${JSON.stringify(c.parts)}`);
    // The revision's own pod starts meanwhile; once it is ready the warm pod goes back to the pool.
    await expect.poll(async () => (await h.call('gateway.logs', { tailLines: 200 })).lines.some((l) => /warm pod funcdeck-pool-nodejs-\S+ retired from sleepy\/1/.test(l.text)), { timeout: 60_000, interval: 1000 }).toBe(true);
    expect(await replicas()).toEqual({ spec: 1, pods: 1 });
    const next = await send({ function: 'sleepy' });
    expect(next).toMatchObject({ status: 200, coldStart: null });

    // The gateway counts it in its metrics too.
    const [gw] = await gatewayPods(ns);
    const metrics = await kubeRequest(cluster.kc, { path: `/api/v1/namespaces/${ns}/pods/${gw!.metadata!.name}:${OPS_PORT}/proxy/metrics`, timeoutMs: 5000 });
    expect(metrics.body.toString()).toMatch(/funcdeck_gateway_cold_starts_total\{function="sleepy",revision="1",source="warm-pool"\} [1-9]/);
    expect(metrics.body.toString()).toMatch(/funcdeck_gateway_cold_start_seconds_count\{function="sleepy",revision="1",part="runtime_ready"\} [1-9]/);
  });

  it('a warm pool pod takes code only from the gateway: unsigned or forged calls from another pod are refused', async () => {
    const pool = (await core.listNamespacedPod({ namespace: ns, labelSelector: Object.entries(poolLabels('nodejs')).map(([k, v]) => `${k}=${v}`).join(',') })).items[0]!;
    const ip = pool.status!.podIP!;
    const body = JSON.stringify({ revision: 'evil/1', runtime: { entry: 'server.cjs', files: [{ path: 'server.cjs', content: 'require("http").createServer((q, s) => s.end("pwned")).listen(8080)' }] }, files: [], env: {} });
    const forged = `t=${Date.now()},n=${'0'.repeat(24)},s=${'f'.repeat(64)}`;
    const out = await runInside(ns, `
const http = require('http');
const post = (headers) => new Promise((r) => { const q = http.request({ host: '${ip}', port: ${POOL_PORT}, path: '/specialize', method: 'POST', headers }, (res) => { res.resume(); r(res.statusCode); }); q.on('error', (e) => r(e.code)); q.end(${JSON.stringify(body)}); });
(async () => { console.log('RESULT ' + JSON.stringify([await post({}), await post({ 'x-funcdeck-pool-auth': '${forged}' })])); })();`);
    expect(out).toContain('RESULT [401,401]');
    // Still generic: the next cold start of a function uses it.
    await expect.poll(async () => (await core.listNamespacedPod({ namespace: ns, labelSelector: 'funcdeck.dev/function=sleepy' })).items.length, { timeout: 60_000, interval: 500 }).toBe(0);
    const res = await send({ function: 'sleepy', timeoutMs: 60_000 });
    expect(res).toMatchObject({ status: 200, body: { content: 'awake ' }, coldStart: { source: 'warm-pool' } });
  });

  it('starts a pod of the revision itself when no warm pod fits (a Python function), with the parts of that start', async () => {
    await h.call('functions.deploy', {
      spec: { name: 'snake', runtime: 'python', handler: 'handler.main', files: [{ path: 'handler.py', content: 'def main(event, context):\n    return "hiss"\n' }], scale: { min: 0, max: 1, scaleToZeroGraceSeconds: 2 } },
      wait: true,
    });
    await expect.poll(async () => (await core.listNamespacedPod({ namespace: ns, labelSelector: 'funcdeck.dev/function=snake' })).items.length, { timeout: 60_000, interval: 500 }).toBe(0);
    const res = await send({ function: 'snake', timeoutMs: 60_000 });
    expect(res).toMatchObject({ status: 200, body: { content: 'hiss' }, coldStart: { source: 'new-pod', pod: expect.stringMatching(/^snake-r1-/) } });
    const p = res.coldStart!.parts;
    expect(p.containerStartMs).toBeGreaterThan(0);
    expect(Math.abs(res.coldStart!.totalMs - (p.schedulingMs + p.containerStartMs + p.runtimeReadyMs + p.firstByteMs))).toBeLessThan(50);
    console.log(`[gateway] cold start of a new pod ${Math.round(res.coldStart!.totalMs)} ms: ${JSON.stringify(p)}`);
  });

  it('serves a burst of 200 concurrent calls at zero pods without an error, and the metrics count the cold starts', async () => {
    await untilZero();
    const sink = recordingSink<MetricsEvent>();
    const watching = metricsHandlers(h.ctx).streams['metrics.watch']({ function: 'sleepy', intervalMs: 1000 }, sink);
    await sink.until((evs) => evs.filter((e) => e.samples.length).length >= 2, 30_000, 'two metrics samples');
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => invoke(ns, 'sleepy', { method: 'POST', body: `b${i}`, headers: { 'content-type': 'text/plain' }, timeoutMs: 60_000 })));
    expect(tally(answers.map((a) => String(a.status)))).toEqual({ '200': 200 });
    expect(new Set(answers.map((a) => a.text)).size).toBe(200);
    const cold = answers.filter((a) => /fd-cold;dur=/.test(String(a.headers['server-timing'] ?? '')));
    expect(cold.length).toBeGreaterThan(0);
    console.log(`[gateway] burst of 200 at zero: all 200 answered, ${cold.length} held for the cold start, slowest ${Math.round(Math.max(...answers.map((a) => a.ms)))} ms`);
    const coldIn = (evs: MetricsEvent[]) => evs.flatMap((e) => e.samples).reduce((n, s) => n + (s.perRevision['1']?.coldStarts ?? 0), 0);
    await sink.until((evs) => coldIn(evs) >= cold.length, 30_000, 'the cold starts in the metrics');
    expect(coldIn(sink.events.map((e) => e.event))).toBe(cold.length);
    sink.unsubscribe();
    await watching;
  });

  it('answers a clear 503 naming the pod\'s reason when the revision cannot start', async () => {
    await untilZero();
    // A fault as a person might cause it: the revision's image no longer exists.
    await mergePatch(`/apis/apps/v1/namespaces/${ns}/deployments/sleepy-r1`, { spec: { template: { spec: { containers: [{ name: 'function', image: 'localhost/funcdeck/no-such-image:0' }] } } } }, 'strategic');
    const t0 = Date.now();
    const res = await send({ function: 'sleepy', timeoutMs: 60_000 });
    expect(res.status).toBe(503);
    expect(res.body.content).toMatch(/^Function "sleepy" could not start revision 1: The runtime image localhost\/funcdeck\/no-such-image:0 could not be pulled \((ErrImagePull|ImagePullBackOff|ErrImageNeverPull)/);
    // Answered when the pod's failure was known, not at the caller's deadline.
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
