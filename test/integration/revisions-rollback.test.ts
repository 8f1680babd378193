import { AppsV1Api, BatchV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_HEADERS } from '../../shared/contract/runtime-protocol';
import { cluster, core, createNamespace, deleteNamespace, eventually, harness, invoke, invokeUntilReady, nodeSpec, sleep, type FunctionsHarness } from './support-functions';

/** Revisions: a second revision takes over, rollback moves traffic back, sources differ, GC, delete. */
let ns: string;
let h: FunctionsHarness;
const apps = cluster.kc.makeApiClient(AppsV1Api);
const batch = cluster.kc.makeApiClient(BatchV1Api);
const version = (v: string) => nodeSpec('versions', `exports.main = async () => 'version ${v}';\n`);

beforeAll(async () => {
  ns = await createNamespace('revisions');
  h = harness(ns, { revisionsToKeep: 2 });
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('revisions', () => {
  it('revision 2 takes all traffic once ready, and rollback routes it back to 1', async () => {
    const watch = h.subscribe('revisions.watch', { name: 'versions' });
    expect(await h.call('functions.deploy', { spec: version('one'), wait: true })).toMatchObject({ revision: 1, created: true });
    expect((await invokeUntilReady(ns, 'versions', 1)).text).toBe('version one');

    expect(await h.call('functions.deploy', { spec: version('two'), wait: true })).toMatchObject({ revision: 2, created: true });
    const r2 = await invokeUntilReady(ns, 'versions', 2);
    expect(r2.text).toBe('version two');
    expect(r2.headers[RUNTIME_HEADERS.revision]).toBe('2');

    const listed = await h.call('revisions.list', { name: 'versions' });
    expect(listed.revisions.map((r) => [r.number, r.trafficPercent, r.serving])).toEqual([
      [2, 100, true],
      [1, 0, false],
    ]);
    expect(listed.revisions[0]!.checksum).not.toBe(listed.revisions[1]!.checksum);
    expect(listed.revisions[0]!.image).toBe(cluster.images.nodejs);

    // The older revision is scaled down after the drain time.
    await until('revision 1 idle', async () => (await h.call('revisions.list', { name: 'versions' })).revisions.find((r) => r.number === 1 && r.status === 'Idle'), 20_000);

    expect(await h.call('revisions.rollback', { name: 'versions', revision: 1 })).toEqual({ name: 'versions', serving: 1 });
    const back = await invokeUntilReady(ns, 'versions', 1);
    expect(back.text).toBe('version one');
    const after = await h.call('functions.list', {});
    expect(after.find((f) => f.name === 'versions')).toMatchObject({ servingRevision: 1, latestRevision: 2 });

    // The watch saw revision 2 serving and then revision 1 serving again.
    await until('watch update', async () => watch.events.at(-1)?.revisions.find((r) => r.number === 1)?.serving);
    expect(watch.events.some((e) => e.revisions.find((r) => r.number === 2)?.serving)).toBe(true);
    watch.stop();
    await watch.done;
  });

  it('serves the sources of each revision for comparison', async () => {
    const one = await h.call('revisions.source', { name: 'versions', revision: 1 });
    const two = await h.call('revisions.source', { name: 'versions', revision: 2 });
    expect(one.files).toEqual([{ path: 'handler.js', content: "exports.main = async () => 'version one';\n" }]);
    expect(two.files[0]!.content).toMatch(/version two/);
    expect(one.spec.name).toBe('versions');
  });

  it('redeploying the latest spec after a rollback makes it serve again without a new revision', async () => {
    const res = await h.call('functions.deploy', { spec: version('two'), wait: true });
    expect(res).toMatchObject({ revision: 2, created: false, ready: true });
    expect((await invokeUntilReady(ns, 'versions', 2)).text).toBe('version two');
  });

  it('rolling back to a revision that does not exist is refused', async () => {
    await expect(h.call('revisions.rollback', { name: 'versions', revision: 9 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/existing revisions: 1, 2/) });
  });

  it('keeps only the newest revisions (revisionsToKeep = 2) and the serving one', async () => {
    await h.call('functions.deploy', { spec: version('three'), wait: true });
    await h.call('functions.deploy', { spec: version('four'), wait: true });
    // Collected right after the new revision takes traffic (in the background).
    await eventually(async () => {
      const revs = (await h.call('revisions.list', { name: 'versions' })).revisions.map((r) => r.number);
      expect(revs).toEqual([4, 3]);
      const cms = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'funcdeck.dev/function=versions' });
      expect(cms.items.map((c) => c.metadata?.name).sort()).toEqual(['versions-r3', 'versions-r4']);
    }, 30_000);
  });

  it('runs the cron trigger: a CronJob whose job calls the function through its Service', async () => {
    const spec = nodeSpec('ticker', "exports.main = async (event) => { console.log('tick', JSON.stringify(event.data)); return { got: event.data }; };", {
      cron: { schedule: '*/5 * * * *', payload: '{"from":"cron"}' },
    });
    await h.call('functions.deploy', { spec, wait: true });
    const cj = await batch.readNamespacedCronJob({ name: 'ticker-cron', namespace: ns });
    expect(cj.spec?.schedule).toBe('*/5 * * * *');
    const listed = await h.call('functions.list', {});
    expect(listed.find((f) => f.name === 'ticker')?.cron).toMatchObject({ schedule: '*/5 * * * *' });
    // Run it now instead of waiting for the schedule, as `kubectl create job --from=cronjob/...` does.
    await batch.createNamespacedJob({
      namespace: ns,
      body: { metadata: { name: 'ticker-now', labels: cj.spec!.jobTemplate.metadata?.labels }, spec: cj.spec!.jobTemplate.spec! },
    });
    const job = await until(
      'cron job to finish',
      async () => {
        const j = await batch.readNamespacedJob({ name: 'ticker-now', namespace: ns });
        return (j.status?.succeeded ?? 0) > 0 || (j.status?.failed ?? 0) > 0 ? j : null;
      },
      90_000,
    );
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'job-name=ticker-now' });
    const log = pods.items[0] ? await core.readNamespacedPodLog({ name: pods.items[0].metadata!.name!, namespace: ns }).catch(() => '') : '';
    expect({ succeeded: job.status?.succeeded, log }).toMatchObject({ succeeded: 1, log: expect.stringMatching(/HTTP 200/) });

    // Dropping the trigger removes the CronJob.
    await h.call('functions.deploy', { spec: { ...spec, cron: null }, wait: true });
    await expect(batch.readNamespacedCronJob({ name: 'ticker-cron', namespace: ns })).rejects.toBeTruthy();
  });

  it('delete removes everything the function owns', async () => {
    const res = await h.call('functions.delete', { name: 'versions' });
    expect(res.deleted).toEqual(expect.arrayContaining(['service/versions', 'deployment/versions-r3', 'deployment/versions-r4', 'configmap/versions-r3', 'configmap/versions-r4']));
    const selector = 'funcdeck.dev/function=versions';
    await until('pods gone', async () => (await core.listNamespacedPod({ namespace: ns, labelSelector: selector })).items.length === 0, 60_000);
    const left = await Promise.all([
      apps.listNamespacedDeployment({ namespace: ns, labelSelector: selector }),
      apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: selector }),
      core.listNamespacedConfigMap({ namespace: ns, labelSelector: selector }),
      core.listNamespacedService({ namespace: ns, labelSelector: selector }),
    ]);
    expect(left.flatMap((l) => l.items.map((o) => o.metadata?.name))).toEqual([]);
    expect((await invoke(ns, 'versions')).status).toBe(404);
    await expect(h.call('functions.delete', { name: 'versions' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
