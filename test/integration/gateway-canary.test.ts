import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { core, createNamespace, deleteNamespace, harness, nodeSpec, sleep, type FunctionsHarness } from './support-functions';
import { apps, failures, steadyLoop, tally } from './support-gateway';

/**
 * Canaries: with a rollout plan, a deploy sends the new revision a step of the traffic at a time.
 * One that fails half its calls is rolled back by the gateway on its own, with a Kubernetes Event and
 * the reason visible in the function's traffic; a healthy one is promoted step by step.
 */
let ns: string;
let h: FunctionsHarness;
const good = (v: string) => nodeSpec('canary', `exports.main = async () => '${v}';\n`);
const flaky = nodeSpec('canary', "let n = 0;\nexports.main = async () => { if (n++ % 2) throw new Error('every other call fails'); return 'flaky'; };\n");

beforeAll(async () => {
  ns = await createNamespace('gwcanary');
  h = harness(ns);
  await h.call('functions.deploy', { spec: good('stable'), wait: true });
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('gateway: canaries', () => {
  it('rolls a revision that fails half its calls back on its own, with an Event and a visible reason', async () => {
    const plan = { steps: [50, 100], stepSeconds: 120, maxErrorRate: 0.2, windowSeconds: 20, minRequests: 10 };
    expect((await h.call('traffic.rollout', { name: 'canary', plan })).rolloutPlan).toEqual(plan);

    const loop = steadyLoop(ns, 'canary');
    await sleep(500);
    const deployed = await h.call('functions.deploy', { spec: flaky, wait: true });
    expect(deployed).toMatchObject({ revision: 2, ready: true });
    const during = await h.call('traffic.get', { name: 'canary' });
    expect(during.canary).toMatchObject({ from: 1, to: 2, state: 'running', percent: 50 });

    const deadline = Date.now() + 60_000;
    let state = during;
    while (Date.now() < deadline && state.canary?.state === 'running') {
      await sleep(500);
      state = await h.call('traffic.get', { name: 'canary' });
    }
    const rolledBackAt = loop.now();
    await sleep(3000);
    const calls = await loop.stop();

    expect(state.canary).toMatchObject({ state: 'rolled-back', percent: 0 });
    expect(state.canary!.reason).toMatch(/^Revision 2 failed \d+ of its \d+ calls \((4|5|6)\d(\.\d)?%\) over the last 20 s, above the 20% limit; all traffic went back to revision 1\.$/);
    expect(state.weights).toEqual([{ revision: 1, percent: 100 }]);
    // Before the verdict some calls failed (the canary's); after it every call is revision 1's.
    expect(failures(calls).length).toBeGreaterThan(0);
    const after = calls.filter((c) => c.sent > rolledBackAt + 500);
    expect(tally(after.map((c) => `${c.status} ${c.text}`))).toEqual({ '200 stable': after.length });

    const events = await core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.kind=Service,involvedObject.name=canary' });
    const ev = events.items.find((e) => e.reason === 'CanaryRolledBack');
    expect(ev).toMatchObject({ type: 'Warning', message: state.canary!.reason });

    // The gateway scales the rolled-back revision down; the engine settles the outcome into the Service.
    await expect.poll(async () => (await apps.readNamespacedDeployment({ name: 'canary-r2', namespace: ns })).spec?.replicas, { timeout: 60_000, interval: 1000 }).toBe(0);
    const watch = h.subscribe('traffic.watch', { name: 'canary' });
    await expect.poll(async () => (await core.readNamespacedService({ name: 'canary', namespace: ns })).metadata?.annotations?.['funcdeck.dev/last-canary'] ?? null, { timeout: 20_000, interval: 500 }).toMatch(/rolled-back/);
    watch.stop();
    await watch.done;
    const settled = await h.call('traffic.get', { name: 'canary' });
    expect(settled).toMatchObject({ weights: [{ revision: 1, percent: 100 }], canary: { state: 'rolled-back', reason: state.canary!.reason } });
    expect((await h.call('revisions.list', { name: 'canary' })).revisions.map((r) => [r.number, r.trafficPercent])).toEqual([
      [2, 0],
      [1, 100],
    ]);
  });

  it('promotes a healthy revision step by step', async () => {
    await h.call('traffic.rollout', { name: 'canary', plan: { steps: [30, 100], stepSeconds: 5, maxErrorRate: 0.2, windowSeconds: 10, minRequests: 5 } });
    const loop = steadyLoop(ns, 'canary');
    await h.call('functions.deploy', { spec: good('better'), wait: true });
    const seen = new Set<number>();
    const deadline = Date.now() + 60_000;
    let state = await h.call('traffic.get', { name: 'canary' });
    while (Date.now() < deadline && state.canary?.state === 'running') {
      seen.add(state.canary.percent);
      await sleep(300);
      state = await h.call('traffic.get', { name: 'canary' });
    }
    await sleep(2000);
    const calls = await loop.stop();
    expect(state.canary).toMatchObject({ from: 1, to: 3, state: 'promoted', percent: 100 });
    expect(seen.has(30)).toBe(true);
    expect(state.weights).toEqual([{ revision: 3, percent: 100 }]);
    expect(failures(calls)).toEqual([]);
    expect(calls.at(-1)!.text).toBe('better');
    const events = await core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.kind=Service,involvedObject.name=canary' });
    expect(events.items.map((e) => e.reason)).toEqual(expect.arrayContaining(['CanaryStep', 'CanaryPromoted']));
  });
});
