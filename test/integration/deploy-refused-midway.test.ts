import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deleteNamespace, eventually, harness, nodeSpec, type FunctionsHarness } from './support-functions';
import { allFuncdeckObjects, createRaw, deleteRaw, funcdeckObjects, getRaw, rejection } from './support-ownership';

/**
 * A deploy the API server refuses part-way (here a ResourceQuota that allows no Deployments, then no
 * CronJobs) leaves the cluster as it found it: no orphan ConfigMap, Deployment or Service.
 */
let ns: string;
let h: FunctionsHarness;

beforeAll(async () => {
  ns = await createNamespace('midway');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

/** A quota with `hard`, enforced once the quota controller has computed its status. */
async function quota(name: string, hard: Record<string, string>): Promise<void> {
  await createRaw(ns, 'ResourceQuota', { metadata: { name }, spec: { hard } });
  await eventually(async () => {
    const q = await getRaw(ns, 'ResourceQuota', name);
    expect((q?.status as { hard?: Record<string, string> } | undefined)?.hard).toEqual(hard);
  }, 60_000);
}

describe('a deploy refused part-way', () => {
  it('leaves no ConfigMap behind when the Deployment is refused', async () => {
    await quota('no-deployments', { 'count/deployments.apps': '0' });
    try {
      const e = await rejection(h.call('functions.deploy', { spec: nodeSpec('half', 'exports.main = () => 1;\n'), wait: false }));
      expect(e.code).toBe('FORBIDDEN');
      expect(e.message).toMatch(/exceeded quota/);
      expect(await allFuncdeckObjects(ns, 'half')).toEqual([]);
    } finally {
      await deleteRaw(ns, 'ResourceQuota', 'no-deployments');
    }
  });

  it('removes the ConfigMap, Deployment and Service it created when the CronJob is refused', async () => {
    await quota('no-cronjobs', { 'count/cronjobs.batch': '0' });
    try {
      const spec = nodeSpec('half-cron', 'exports.main = () => 1;\n', { cron: { schedule: '*/5 * * * *' } });
      const e = await rejection(h.call('functions.deploy', { spec, wait: false }));
      expect(e.code).toBe('FORBIDDEN');
      expect(await allFuncdeckObjects(ns, 'half-cron')).toEqual([]);
      // The removed Deployment's pods are on their way out too (deleted in the background).
      await eventually(async () => expect(await funcdeckObjects(ns, 'Pod', 'half-cron', { terminating: false })).toEqual([]), 60_000);
    } finally {
      await deleteRaw(ns, 'ResourceQuota', 'no-cronjobs');
    }
  });

  it('a later deploy of the same function succeeds from revision 1', async () => {
    const r = await h.call('functions.deploy', { spec: nodeSpec('half', 'exports.main = () => 1;\n'), wait: false });
    expect(r.revision).toBe(1);
  });

  it('garbage collection removes a revision ConfigMap of ours left without its Deployment (an undo that could not finish)', async () => {
    await h.call('functions.deploy', { spec: nodeSpec('orphan', 'exports.main = () => 1;\n'), wait: true });
    await h.call('functions.deploy', { spec: nodeSpec('orphan', 'exports.main = () => 2;\n'), wait: true });
    await deleteRaw(ns, 'Deployment', 'orphan-r1'); // revision 1's ConfigMap is now listed by no view
    await h.call('functions.deploy', { spec: nodeSpec('orphan', 'exports.main = () => 3;\n'), wait: true });
    // An unchanged deploy queues behind the garbage collection under the function's lock.
    await h.call('functions.deploy', { spec: nodeSpec('orphan', 'exports.main = () => 3;\n'), wait: false });
    expect(await funcdeckObjects(ns, 'ConfigMap', 'orphan')).toEqual(['orphan-r2', 'orphan-r3']);
  });
});
