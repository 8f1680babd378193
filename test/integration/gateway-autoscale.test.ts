import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { core, createNamespace, deleteNamespace, harness, invoke, nodeSpec, sleep, type FunctionsHarness } from './support-functions';
import { apps, isReady, tally } from './support-gateway';

/**
 * Concurrency autoscaling: 40 slow calls in flight with a target of 10 per pod bring the revision to
 * 4 ready pods (not more, though max allows 6); once the calls stop it goes back to its minimum.
 */
let ns: string;
let h: FunctionsHarness;
const spec = nodeSpec('busy', "exports.main = async () => { await new Promise((r) => setTimeout(r, 1500)); return 'done'; };\n", {
  scale: { min: 1, max: 6, targetConcurrency: 10 },
});

async function pods(): Promise<{ desired: number; ready: number }> {
  const d = await apps.readNamespacedDeployment({ name: 'busy-r1', namespace: ns });
  const list = await core.listNamespacedPod({ namespace: ns, labelSelector: 'funcdeck.dev/function=busy' });
  return { desired: d.spec?.replicas ?? 0, ready: list.items.filter((p) => !p.metadata?.deletionTimestamp && isReady(p)).length };
}

beforeAll(async () => {
  ns = await createNamespace('gwscale');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('gateway: concurrency autoscaling', () => {
  it('40 concurrent slow calls at target 10 reach 4 ready pods, then back to 1 after idle', async () => {
    await h.call('functions.deploy', { spec, wait: true });
    expect(await h.call('traffic.get', { name: 'busy' })).toMatchObject({ via: 'gateway', gatewayReason: 'revision 1 autoscales between 1 and 6 pods' });

    let running = true;
    const statuses: string[] = [];
    const loops = Array.from({ length: 40 }, async () => {
      while (running) {
        const r = await invoke(ns, 'busy', { timeoutMs: 60_000 }).catch((e: Error) => ({ status: 0, text: e.message }));
        statuses.push(`${r.status} ${r.text}`);
      }
    });
    const started = Date.now();
    let seen = { desired: 0, ready: 0 };
    let most = 0;
    while (Date.now() - started < 120_000) {
      seen = await pods();
      most = Math.max(most, seen.desired);
      if (seen.ready >= 4) break;
      await sleep(500);
    }
    const reachedIn = Date.now() - started;
    // Hold the load a little longer: the scaler must stay at 4, not climb towards max.
    const hold = Date.now() + 8000;
    while (Date.now() < hold) {
      most = Math.max(most, (await pods()).desired);
      await sleep(500);
    }
    running = false;
    await Promise.all(loops);
    expect(seen.ready).toBe(4);
    expect(most).toBe(4);
    expect(tally(statuses)).toEqual({ '200 done': statuses.length });
    console.log(`[gateway] 40 in flight at target 10: 4 ready pods after ${Math.round(reachedIn / 1000)} s, ${statuses.length} calls, none failed`);

    const idleFrom = Date.now();
    for (;;) {
      const p = await pods();
      if (p.desired === 1 && p.ready === 1) break;
      if (Date.now() - idleFrom > 180_000) throw new Error(`did not return to 1 pod: ${JSON.stringify(p)}`);
      await sleep(1000);
    }
    console.log(`[gateway] back to 1 pod ${Math.round((Date.now() - idleFrom) / 1000)} s after the calls stopped`);
    expect((await invoke(ns, 'busy')).text).toBe('done');
  });
});
