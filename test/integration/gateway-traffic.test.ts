import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrafficSetParams } from '../../shared/contract/traffic';
import { GATEWAY_NAME, gatewaySelector } from '../../electron/engine/gateway/manifests';
import { TRAFFIC_HEADERS } from '../../shared/contract/runtime-protocol';
import { core, createNamespace, deleteNamespace, harness, invoke, nodeSpec, sleep, type FunctionsHarness } from './support-functions';
import { apps, callsFromInside, mergePatch, failures, gatewayPods, gatewaySettled, invokeMany, isReady, steadyLoop, tally } from './support-gateway';

/**
 * The namespace gateway carries splits and tags: it is installed when a function first needs it,
 * a split holds over 1,000 calls (through the API server and from inside the cluster), a change takes
 * effect at once without a failed call, a tag reaches a revision with no normal traffic, bad input
 * is refused naming the field, and the gateway keeps its routes when killed and when upgraded.
 */
let ns: string;
let h: FunctionsHarness;
const version = (v: string) => nodeSpec('split', `exports.main = async () => 'version ${v}';\n`);

beforeAll(async () => {
  ns = await createNamespace('gwtraffic');
  h = harness(ns);
  await h.call('functions.deploy', { spec: version('one'), wait: true });
  await h.call('functions.deploy', { spec: version('two'), wait: true });
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('gateway: splits and tags', () => {
  it('a plain function has no gateway; a 90/10 split installs it and holds within ±3 points over 1,000 calls, also from inside the cluster', async () => {
    expect(await gatewayPods(ns)).toEqual([]);
    const state = await h.call('traffic.set', { name: 'split', weights: [{ revision: 1, percent: 90 }, { revision: 2, percent: 10 }] });
    expect(state).toMatchObject({ via: 'gateway', weights: [{ revision: 1, percent: 90 }, { revision: 2, percent: 10 }] });
    expect(state.gatewayReason).toMatch(/split/);

    const answers = await invokeMany(ns, 'split', 1000, 4);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const counts = tally(answers.map((a) => a.text));
    expect(Math.abs((counts['version one'] ?? 0) / 10 - 90)).toBeLessThanOrEqual(3);
    expect(Math.abs((counts['version two'] ?? 0) / 10 - 10)).toBeLessThanOrEqual(3);
    expect(answers[0]!.headers[TRAFFIC_HEADERS.gateway]).toMatch(/^[0-9a-f]{12} funcdeck-gateway-\S+$/);

    const inside = await callsFromInside(ns, 'split', 200);
    expect(Object.keys(inside).sort()).toEqual(['version one', 'version two']);
    expect(Math.abs(inside['version one']! / 2 - 90)).toBeLessThanOrEqual(3);

    const listed = await h.call('revisions.list', { name: 'split' });
    expect(listed.revisions.map((r) => [r.number, r.trafficPercent])).toEqual([
      [2, 10],
      [1, 90],
    ]);
  });

  it('a change of split takes effect when the call returns, with no failed call during it', async () => {
    const loop = steadyLoop(ns, 'split');
    await sleep(1500);
    const t0 = loop.now();
    await h.call('traffic.set', { name: 'split', weights: [{ revision: 1, percent: 0 }, { revision: 2, percent: 100 }] });
    const t1 = loop.now();
    await sleep(2000);
    const calls = await loop.stop();
    expect(failures(calls)).toEqual([]);
    expect(calls.filter((c) => c.done < t0).map((c) => c.text)).toContain('version one');
    const after = calls.filter((c) => c.sent > t1);
    expect(after.length).toBeGreaterThan(10);
    expect(tally(after.map((c) => c.text))).toEqual({ 'version two': after.length });
    // The call waits for every gateway pod to serve the new routes; that is quick, not a periodic resync.
    expect(t1 - t0).toBeLessThan(5000);
    console.log(`[gateway] split change: call ${Math.round(t1 - t0)} ms, ${calls.length} calls in the loop, none failed`);
  });

  it('a tag reaches its revision, which has none of the normal traffic', async () => {
    await h.call('traffic.set', { name: 'split', weights: [{ revision: 1, percent: 100 }], tags: [{ name: 'test', revision: 2 }] });
    const plain = await invokeMany(ns, 'split', 30, 3);
    expect(tally(plain.map((a) => a.text))).toEqual({ 'version one': 30 });
    const tagged = await invokeMany(ns, 'split', 10, 2, { [TRAFFIC_HEADERS.tag]: 'test' });
    expect(tally(tagged.map((a) => a.text))).toEqual({ 'version two': 10 });
    const unknown = await invoke(ns, 'split', { headers: { [TRAFFIC_HEADERS.tag]: 'nope' } });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/has no tag "nope".*Its tags: "test"/);
    expect(await callsFromInside(ns, 'split', 5, { [TRAFFIC_HEADERS.tag]: 'test' })).toEqual({ 'version two': 5 });
    const revs = await h.call('revisions.list', { name: 'split' });
    expect(revs.revisions.find((r) => r.number === 2)).toMatchObject({ trafficPercent: 0, status: 'Ready' });
  });

  it('refuses weights that do not add up, a duplicate tag, a missing or a failing revision, naming the field', async () => {
    const sum = TrafficSetParams.safeParse({ name: 'split', weights: [{ revision: 1, percent: 50 }, { revision: 2, percent: 40 }] });
    expect(sum.success).toBe(false);
    expect(sum.error!.issues[0]).toMatchObject({ path: ['weights'], message: 'The weights add up to 90%; make them add up to 100%.' });
    const dup = TrafficSetParams.safeParse({ name: 'split', weights: [{ revision: 1, percent: 100 }], tags: [{ name: 't', revision: 1 }, { name: 't', revision: 2 }] });
    expect(dup.error!.issues[0]).toMatchObject({ path: ['tags', 1, 'name'] });
    await expect(h.call('traffic.set', { name: 'split', weights: [{ revision: 1, percent: 50 }, { revision: 7, percent: 50 }] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'weights.1.revision: Revision 7 of split does not exist; its revisions are 1, 2.',
    });

    // Revision 3 crashes at start: the deploy fails and revision 1 keeps serving.
    await expect(h.call('functions.deploy', { spec: nodeSpec('split', "throw new Error('broken at load');\n"), wait: true })).rejects.toMatchObject({ code: 'DEPLOY_FAILED' });
    await expect(h.call('traffic.set', { name: 'split', weights: [{ revision: 1, percent: 50 }, { revision: 3, percent: 50 }] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^weights\.1\.revision: Revision 3 cannot take traffic: The function crashed at start/),
    });
    expect(tally((await invokeMany(ns, 'split', 10, 2)).map((a) => a.text))).toEqual({ 'version one': 10 });
  });

  it('killed, the gateway answers nothing for a moment (each call fails fast, none hangs) and comes back with the same routes', async () => {
    await h.call('traffic.set', { name: 'split', weights: [{ revision: 1, percent: 50 }, { revision: 2, percent: 50 }], tags: [{ name: 'test', revision: 2 }] });
    const [pod] = await gatewayPods(ns);
    const loop = steadyLoop(ns, 'split');
    await sleep(500);
    await core.deleteNamespacedPod({ name: pod!.metadata!.name!, namespace: ns, gracePeriodSeconds: 0 });
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const ready = (await gatewayPods(ns)).filter((p) => p.metadata?.name !== pod!.metadata!.name && isReady(p));
      if (ready.length) break;
      await sleep(250);
    }
    await sleep(1500);
    const calls = await loop.stop();
    // What callers see while no gateway pod is ready: the API server's 503 (no endpoints) or a refused connection, quickly.
    for (const f of failures(calls)) {
      expect(f.done - f.sent).toBeLessThan(10_000);
      expect(f.status === 503 || f.status === 502 || f.error !== null).toBe(true);
    }
    expect(calls.at(-1)!.status).toBe(200);
    console.log(`[gateway] killed: ${failures(calls).length} of ${calls.length} calls failed while it restarted (${[...new Set(failures(calls).map((f) => f.status ?? f.error))].join(', ')})`);
    expect(tally((await invokeMany(ns, 'split', 20, 2)).map((a) => a.text))).toEqual({ 'version one': 10, 'version two': 10 });
    expect(tally((await invokeMany(ns, 'split', 4, 2, { [TRAFFIC_HEADERS.tag]: 'test' })).map((a) => a.text))).toEqual({ 'version two': 4 });
  });

  it('an upgrade of the gateway in place fails no call of a steady loop', async () => {
    await gatewaySettled(ns);
    // Make the running gateway look like another version (as an older Funcdeck's would), then let the engine upgrade it.
    const older = { 'funcdeck.dev/gateway-version': 'older' };
    await mergePatch(`/apis/apps/v1/namespaces/${ns}/deployments/${GATEWAY_NAME}`, { metadata: { annotations: older }, spec: { template: { metadata: { annotations: older } } } });
    const [old] = await gatewaySettled(ns);
    expect(old!.metadata?.annotations?.['funcdeck.dev/gateway-version']).toBe('older');

    const loop = steadyLoop(ns, 'split', { parallel: 2 });
    await sleep(1000);
    await h.call('traffic.set', { name: 'split', weights: [{ revision: 1, percent: 50 }, { revision: 2, percent: 50 }], tags: [] });
    const [now] = await gatewaySettled(ns);
    await sleep(2000);
    const calls = await loop.stop();
    expect(now!.metadata?.name).not.toBe(old!.metadata?.name);
    expect(now!.metadata?.annotations?.['funcdeck.dev/gateway-version']).toMatch(/^[0-9a-f]{12}$/);
    expect(failures(calls)).toEqual([]);
    expect(new Set(calls.map((c) => c.gateway)).size).toBe(2); // answered by the old gateway, then by the new one
    console.log(`[gateway] upgrade: ${calls.length} calls, none failed`);
    const info = await h.call('gateway.get', {});
    expect(info).toMatchObject({ state: 'ready', version: info.wantedVersion, functions: ['split'] });
    const logs = await h.call('gateway.logs', { tailLines: 50 });
    expect(logs.lines.some((l) => /serving split on port/.test(l.text))).toBe(true);
  });

  it('back to one revision, the Service points at its pods again; the gateway goes with the last function', async () => {
    const loop = steadyLoop(ns, 'split');
    await sleep(500);
    const state = await h.call('traffic.set', { name: 'split', weights: [{ revision: 2, percent: 100 }] });
    await sleep(1500);
    expect(failures(await loop.stop())).toEqual([]);
    expect(state).toMatchObject({ via: 'direct', gatewayReason: null });
    const svc = await core.readNamespacedService({ name: 'split', namespace: ns });
    expect(svc.spec?.selector).toEqual({ 'funcdeck.dev/function': 'split', 'funcdeck.dev/revision': '2' });

    const { deleted } = await h.call('functions.delete', { name: 'split' });
    expect(deleted).toEqual(expect.arrayContaining([`deployment/${GATEWAY_NAME}`, `role/${GATEWAY_NAME}`, `rolebinding/${GATEWAY_NAME}`, `serviceaccount/${GATEWAY_NAME}`, `service/${GATEWAY_NAME}`]));
    const left = await Promise.all([
      core.listNamespacedConfigMap({ namespace: ns, labelSelector: gatewaySelector() }),
      core.listNamespacedServiceAccount({ namespace: ns, labelSelector: gatewaySelector() }),
      apps.listNamespacedDeployment({ namespace: ns, labelSelector: gatewaySelector() }),
    ]);
    expect(left.map((l) => l.items.map((i) => i.metadata?.name))).toEqual([[], [], []]);
  });
});
