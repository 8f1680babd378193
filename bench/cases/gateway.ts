import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../shared/contract/invoke';
import { median, quantile, recordFigure } from '../support/figures';
import { kubectl } from '../support/kubectl';
import { core, invoke, invokeUntilReady, nodeSpec, sleep, type FunctionsHarness } from '../../test/integration/support-functions';
import { apps, isReady, openGatewaySuite, type GatewaySuite } from '../../test/integration/support-gateway';

/**
 * `npm run bench -- gateway`: the namespace gateway's figures, each beside a baseline from the same
 * run on the same cluster: its overhead per call, how soon a weight change takes effect, a cold start
 * from zero pods (with where the time goes), a burst of 200 calls at zero, and scaling out to 4 pods.
 */
let ns: string;
let h: FunctionsHarness;
let send: (req: unknown) => Promise<InvokeResult>;
const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
const ok = (fn: string, extra: Record<string, unknown> = {}) => nodeSpec(fn, "exports.main = async () => 'ok';\n", extra);

let suite: GatewaySuite | undefined;
beforeAll(async () => {
  suite = await openGatewaySuite('gw-bench');
  ({ ns, h, send } = suite);
});
afterAll(() => suite?.close());

async function readyPods(fn: string): Promise<number> {
  const list = await core.listNamespacedPod({ namespace: ns, labelSelector: `funcdeck.dev/function=${fn}` });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp && isReady(p)).length;
}

async function noPods(fn: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await core.listNamespacedPod({ namespace: ns, labelSelector: `funcdeck.dev/function=${fn}` });
    const dep = await apps.readNamespacedDeployment({ name: `${fn}-r1`, namespace: ns });
    if (!list.items.length && dep.spec?.replicas === 0) return;
    if (Date.now() > deadline) throw new Error(`${fn} did not reach zero pods`);
    await sleep(200);
  }
}

describe('bench: the namespace gateway', () => {
  it('gateway overhead: invoke through the gateway vs straight to the revision', async () => {
    await h.call('functions.deploy', { spec: ok('straight'), wait: true });
    await h.call('functions.deploy', { spec: ok('routed'), wait: true });
    // A tag is enough to put the function behind the gateway; its normal calls still go to revision 1.
    await h.call('traffic.set', { name: 'routed', weights: [{ revision: 1, percent: 100 }], tags: [{ name: 'bench', revision: 1 }] });
    for (let i = 0; i < 20; i++) await Promise.all([invoke(ns, 'straight'), invoke(ns, 'routed')]);
    const straight: number[] = [];
    const routed: number[] = [];
    for (let i = 0; i < 200; i++) {
      const [a, b] = i % 2 ? ['straight', 'routed'] : ['routed', 'straight'];
      for (const fn of [a!, b!]) {
        const r = await invoke(ns, fn);
        expect(r.status).toBe(200);
        (fn === 'routed' ? routed : straight).push(r.ms);
      }
    }
    expect(routed).toHaveLength(200);
    recordFigure({ name: 'gateway overhead: invoke median (200, interleaved)', unit: 'ms', value: median(routed), baseline: { name: 'straight to the revision', value: median(straight) } });
    recordFigure({ name: 'gateway overhead: invoke p99', unit: 'ms', value: quantile(routed, 0.99), baseline: { name: 'straight to the revision', value: quantile(straight, 0.99) } });
  });

  it('weight change to effect', async () => {
    const v = (x: string) => nodeSpec('flip', `exports.main = async () => '${x}';\n`);
    await h.call('functions.deploy', { spec: v('a'), wait: true });
    await h.call('functions.deploy', { spec: v('b'), wait: true });
    // Both revisions stay up (a tag each), so a flip only moves traffic.
    const tags = [{ name: 'a', revision: 1 }, { name: 'b', revision: 2 }];
    await h.call('traffic.set', { name: 'flip', weights: [{ revision: 2, percent: 100 }], tags });
    const flips: number[] = [];
    for (let i = 0; i < 6; i++) {
      const to = i % 2 ? 2 : 1;
      const t0 = performance.now();
      await h.call('traffic.set', { name: 'flip', weights: [{ revision: to, percent: 100 }], tags });
      await invokeUntilReady(ns, 'flip', to);
      flips.push(performance.now() - t0);
    }
    // Baseline: moving a plain Service's selector between two ready revisions with kubectl, as Funcdeck does without the gateway.
    const w = (x: string) => nodeSpec('flipd', `exports.main = async () => '${x}';\n`);
    await h.call('functions.deploy', { spec: w('a'), wait: true });
    await h.call('functions.deploy', { spec: w('b'), wait: true });
    await sleep(6000); // revision 1 is scaled down after the drain; bring it back by hand
    kubectl('-n', ns, 'scale', 'deployment/flipd-r1', '--replicas=1');
    kubectl('-n', ns, 'rollout', 'status', 'deployment/flipd-r1', '--timeout=60s');
    const base: number[] = [];
    for (let i = 0; i < 6; i++) {
      const to = i % 2 ? 2 : 1;
      const t0 = performance.now();
      kubectl('-n', ns, 'patch', 'service', 'flipd', '--type=merge', '-p', JSON.stringify({ spec: { selector: { 'funcdeck.dev/revision': String(to) } } }));
      await invokeUntilReady(ns, 'flipd', to);
      base.push(performance.now() - t0);
    }
    recordFigure({
      name: 'weight change to effect (call to first answer from the new revision, median of 6)',
      unit: 'ms',
      value: median(flips),
      baseline: { name: 'kubectl patch of a Service selector', value: median(base) },
      target: { text: '<= 1000 ms', met: median(flips) <= 1000 },
      detail: `Funcdeck ${fmt(flips)}; kubectl ${fmt(base)}`,
    });
  });

  it('cold start from zero, with its parts', async () => {
    await h.call('functions.deploy', { spec: ok('cold', { scale: { min: 0, max: 1, scaleToZeroGraceSeconds: 0 } }), wait: true });
    const totals: number[] = [];
    const parts: Record<string, number[]> = { schedulingMs: [], containerStartMs: [], runtimeReadyMs: [], firstByteMs: [] };
    const sources = new Set<string>();
    for (let i = 0; i < 7; i++) {
      await noPods('cold');
      const r = await send({ function: 'cold', timeoutMs: 60_000 });
      expect(r.status).toBe(200);
      const c = r.coldStart;
      if (!c) throw new Error('the call after zero pods was not marked as a cold start');
      totals.push(c.totalMs);
      sources.add(c.source);
      for (const k of Object.keys(parts)) parts[k]!.push(c.parts[k as keyof typeof c.parts]);
    }
    // Baseline: a plain function's Deployment scaled 0 -> 1 by kubectl, waited for with rollout status, then the same call.
    await h.call('functions.deploy', { spec: ok('coldbase'), wait: true });
    const base: number[] = [];
    for (let i = 0; i < 7; i++) {
      kubectl('-n', ns, 'scale', 'deployment/coldbase-r1', '--replicas=0');
      await noPods('coldbase');
      const t0 = performance.now();
      kubectl('-n', ns, 'scale', 'deployment/coldbase-r1', '--replicas=1');
      kubectl('-n', ns, 'rollout', 'status', 'deployment/coldbase-r1', '--timeout=120s');
      await invokeUntilReady(ns, 'coldbase');
      base.push(performance.now() - t0);
    }
    const partText = Object.entries(parts)
      .map(([k, xs]) => `${k.replace(/Ms$/, '')} ${Math.round(median(xs))}`)
      .join(', ');
    recordFigure({
      name: `cold start from zero (median of 7, ${[...sources].join('/')})`,
      unit: 'ms',
      value: median(totals),
      baseline: { name: 'kubectl scale 0->1 + rollout status + first answer', value: median(base) },
      target: { text: '<= 600 ms median', met: median(totals) <= 600 },
      detail: `p95 ${Math.round(quantile(totals, 0.95))} ms; parts (median ms): ${partText}; Funcdeck ${fmt(totals)}; kubectl ${fmt(base)}`,
    });
    recordFigure({ name: 'cold start from zero: p95', unit: 'ms', value: quantile(totals, 0.95), baseline: { name: 'kubectl scale 0->1 (p95)', value: quantile(base, 0.95) } });

    // Where the time goes without a warm pod: a Python function (the pool is Node.js only) starts a pod of its own.
    await h.call('functions.deploy', {
      spec: { name: 'snake', runtime: 'python', handler: 'handler.main', files: [{ path: 'handler.py', content: 'def main(event, context):\n    return "ok"\n' }], scale: { min: 0, max: 1, scaleToZeroGraceSeconds: 0 } },
      wait: true,
    });
    const own: number[] = [];
    const ownParts: Record<string, number[]> = { schedulingMs: [], containerStartMs: [], runtimeReadyMs: [], firstByteMs: [] };
    for (let i = 0; i < 5; i++) {
      await noPods('snake');
      const r = await send({ function: 'snake', timeoutMs: 60_000 });
      if (r.coldStart?.source !== 'new-pod') throw new Error('a Python cold start should start a pod of its own');
      own.push(r.coldStart.totalMs);
      for (const k of Object.keys(ownParts)) ownParts[k]!.push(r.coldStart.parts[k as keyof typeof r.coldStart.parts]);
    }
    recordFigure({
      name: 'cold start from zero without a warm pod (Python, median of 5)',
      unit: 'ms',
      value: median(own),
      baseline: { name: 'kubectl scale 0->1 + rollout status + first answer (Node.js)', value: median(base) },
      detail: `parts (median ms): ${Object.entries(ownParts).map(([k, xs]) => `${k.replace(/Ms$/, '')} ${Math.round(median(xs))}`).join(', ')}; ${fmt(own)}`,
    });
  });

  it('burst of 200 at zero', async () => {
    await noPods('cold');
    const t0 = performance.now();
    const answers = await Promise.all(Array.from({ length: 200 }, () => invoke(ns, 'cold', { timeoutMs: 60_000 }).catch((e: Error) => ({ status: 0, ms: performance.now() - t0, text: e.message }))));
    const errors = answers.filter((a) => a.status !== 200).length;
    // Baseline: the same burst to a warm plain function.
    const warm = await Promise.all(Array.from({ length: 200 }, () => invoke(ns, 'straight', { timeoutMs: 60_000 }).catch((e: Error) => ({ status: 0, ms: 60_000, text: e.message }))));
    recordFigure({
      name: `burst of 200 at zero pods: p99 (${errors} errors)`,
      unit: 'ms',
      value: quantile(answers.map((a) => a.ms), 0.99),
      baseline: { name: 'the same burst to a warm plain function', value: quantile(warm.map((a) => a.ms), 0.99) },
      target: { text: 'no errors', met: errors === 0 },
    });
  });

  it('scale out to 4 pods', async () => {
    const slow = (fn: string, extra: Record<string, unknown> = {}) => nodeSpec(fn, "exports.main = async () => { await new Promise((r) => setTimeout(r, 1500)); return 'done'; };\n", extra);
    await h.call('functions.deploy', { spec: slow('busy', { scale: { min: 1, max: 6, targetConcurrency: 10 } }), wait: true });
    let running = true;
    const loops = Array.from({ length: 40 }, async () => {
      while (running) await invoke(ns, 'busy', { timeoutMs: 60_000 }).catch(() => undefined);
    });
    const t0 = performance.now();
    while ((await readyPods('busy')) < 4 && performance.now() - t0 < 120_000) await sleep(100);
    const took = performance.now() - t0;
    running = false;
    await Promise.all(loops);
    // Baseline: kubectl scaling a Deployment of the same pods from 1 to 4 and waiting for rollout status.
    await h.call('functions.deploy', { spec: slow('busyb'), wait: true });
    const b0 = performance.now();
    kubectl('-n', ns, 'scale', 'deployment/busyb-r1', '--replicas=4');
    kubectl('-n', ns, 'rollout', 'status', 'deployment/busyb-r1', '--timeout=120s');
    const base = performance.now() - b0;
    recordFigure({
      name: 'scale out to 4 pods (40 calls in flight, target 10)',
      unit: 'ms',
      value: took,
      baseline: { name: 'kubectl scale 1->4 + rollout status', value: base },
      detail: 'from the first of 40 concurrent 1.5 s calls to 4 ready pods, including the 60 s/6 s windows filling',
    });
    expect(took).toBeLessThan(120_000);
  });
});

