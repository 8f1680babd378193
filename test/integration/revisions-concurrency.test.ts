import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, createNamespace, deleteNamespace, eventually, harness, invokeUntilReady, nodeSpec, sleep, type FunctionsHarness } from './support-functions';

/** Rapid saves: deploys of one function one after another; the newest wins. Replicas follow scale.min. */
let ns: string;
let h: FunctionsHarness;
const apps = cluster.kc.makeApiClient(AppsV1Api);
beforeAll(async () => {
  ns = await createNamespace('rev-conc');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('deploys in quick succession', () => {
  it('number revisions in order and leave the newest serving', async () => {
    const v = (n: number) => nodeSpec('rapid', `exports.main = () => 'v${n}';`);
    await h.call('functions.deploy', { spec: v(1), wait: true });
    const [a, b, c] = await Promise.all([
      h.call('functions.deploy', { spec: v(2), wait: true }),
      h.call('functions.deploy', { spec: v(3), wait: true }),
      h.call('functions.deploy', { spec: v(4), wait: true }),
    ]);
    expect([a.revision, b.revision, c.revision].sort()).toEqual([2, 3, 4]);
    const newest = [a, b, c].find((r) => r.revision === 4)!;
    expect(newest.created).toBe(true);
    const r = await invokeUntilReady(ns, 'rapid', 4);
    expect(r.text).toMatch(/^v\d$/);
    // Traffic ends on revision 4, whatever order the rollouts finished in.
    await sleep(1000);
    await eventually(async () => {
      const list = await h.call('functions.list', {});
      expect(list.find((f) => f.name === 'rapid')).toMatchObject({ servingRevision: 4, latestRevision: 4, status: 'Ready' });
    });
  });

  it('runs scale.min replicas and reports them', async () => {
    await h.call('functions.deploy', { spec: nodeSpec('pair', "exports.main = () => 'x';", { scale: { min: 2, max: 2 } }), wait: true });
    const d = await apps.readNamespacedDeployment({ name: 'pair-r1', namespace: ns });
    expect(d.spec?.replicas).toBe(2);
    await eventually(async () => {
      const f = (await h.call('functions.list', {})).find((x) => x.name === 'pair');
      expect(f?.replicas).toEqual({ ready: 2, desired: 2 });
    });
  });
});
