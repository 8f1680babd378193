import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { LogsFollowParams, type LogsBatch } from '../../shared/contract/logs';
import { MetricsWatchParams, type MetricsEvent } from '../../shared/contract/metrics';
import { LABELS, MANAGED_BY } from '../../shared/contract/runtime-protocol';
import type { EventsSnapshot } from '../../shared/contract/events';
import { eventsHandlers } from '../../electron/engine/events/handlers';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { logsHandlers } from '../../electron/engine/logs/handlers';
import { metricsHandlers } from '../../electron/engine/metrics/handlers';
import { createNamespace, deleteNamespace, eventually, harness, invoke, nodeSpec, type FunctionsHarness } from './support-functions';
import { kubeJson } from '../../electron/engine/kube/http';
import { cluster, recordingSink, waitReady } from './support-observe';
import {
  allFuncdeckObjects,
  createRaw,
  deleteRaw,
  expectUnchanged,
  getRaw,
  rejection,
  settledSnapshot,
  userService,
  userWebPod,
} from './support-ownership';

/**
 * Funcdeck changes or deletes only objects labelled managed-by=funcdeck AND function=<that function>.
 * The namespace holds other people's objects whose names collide with every kind Funcdeck creates
 * (unlabelled, another function's, or with only one of the two labels). After every deploy, delete,
 * rollback, invoke and garbage collection, each of them is byte for byte what it was.
 */
let ns: string;
let h: FunctionsHarness;
const snapshots = new Map<string, string>();
const handler = (text: string) => `exports.main = async () => ${JSON.stringify(text)};\n`;
const other = { [LABELS.managedBy]: MANAGED_BY, [LABELS.function]: 'someone-elses-fn' };

beforeAll(async () => {
  ns = await createNamespace('own');
  h = harness(ns);
  // A person's running web app behind a Service named like a function.
  await createRaw(ns, 'Pod', userWebPod('svc-clash-user', 'user-web', { [LABELS.function]: 'svc-clash' }));
  await createRaw(ns, 'Service', userService('svc-clash', 'user-web'));
  // Another function's ConfigMap, named like this function's first revision.
  await createRaw(ns, 'ConfigMap', { metadata: { name: 'cm-clash-r1', labels: other }, data: { mine: 'yes' } });
  // A Deployment with only the function label (no managed-by).
  await createRaw(ns, 'Deployment', {
    metadata: { name: 'dep-clash-r1', labels: { [LABELS.function]: 'dep-clash' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'dep-clash-user' } },
      template: { metadata: { labels: { app: 'dep-clash-user' } }, spec: { containers: [{ name: 'c', image: 'example.invalid/none:1' }] } },
    },
  });
  // CronJobs with only the managed-by label, and with none.
  const cron = (name: string, labels: Record<string, string>) => ({
    metadata: { name, labels },
    spec: {
      schedule: '0 0 1 1 *',
      suspend: true,
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'example.invalid/none:1' }] } } } },
    },
  });
  await createRaw(ns, 'CronJob', cron('cron-clash-cron', { [LABELS.managedBy]: MANAGED_BY }));
  await createRaw(ns, 'CronJob', cron('keep-cron-cron', {}));
  await waitReady(ns, 'svc-clash', 1);
  for (const key of ['Service/svc-clash', 'ConfigMap/cm-clash-r1', 'Deployment/dep-clash-r1', 'CronJob/cron-clash-cron', 'CronJob/keep-cron-cron']) {
    const [kind, name] = key.split('/') as [string, string];
    snapshots.set(key, await settledSnapshot(ns, kind, name));
  }
});

afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('deploy refuses to touch objects that are not its own', () => {
  const cases = [
    { fn: 'svc-clash', object: 'Service "svc-clash"', why: /no Funcdeck labels/ },
    { fn: 'cm-clash', object: 'ConfigMap "cm-clash-r1"', why: /belongs to Funcdeck function "someone-elses-fn"/ },
    { fn: 'dep-clash', object: 'Deployment "dep-clash-r1"', why: /labelled funcdeck.dev\/function=dep-clash but not app.kubernetes.io\/managed-by=funcdeck/ },
    { fn: 'cron-clash', object: 'CronJob "cron-clash-cron"', why: /labelled app.kubernetes.io\/managed-by=funcdeck but not funcdeck.dev\/function=cron-clash/ },
  ];
  for (const c of cases) {
    it(`${c.object}: a clear CONFLICT naming it, and nothing is written`, async () => {
      const spec = nodeSpec(c.fn, handler(c.fn), { cron: { schedule: '*/5 * * * *' } });
      const e = await rejection(h.call('functions.deploy', { spec, wait: false }));
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toContain(c.object);
      expect(e.message).toMatch(c.why);
      expect(e.message).toMatch(/Nothing was changed\. Rename the function, or delete or relabel that object/);
      expect(await allFuncdeckObjects(ns, c.fn)).toEqual([]);
      await expectUnchanged(ns, snapshots);
    });
  }

  it("a deploy without a cron trigger leaves someone else's CronJob of that name alone", async () => {
    await h.call('functions.deploy', { spec: nodeSpec('keep-cron', handler('keep')), wait: false });
    expect((await allFuncdeckObjects(ns, 'keep-cron')).sort()).toEqual(['ConfigMap/keep-cron-r1', 'Deployment/keep-cron-r1', 'Service/keep-cron']);
    await expectUnchanged(ns, snapshots);
    const r = await h.call('functions.delete', { name: 'keep-cron' });
    expect(r.deleted.sort()).toEqual(['configmap/keep-cron-r1', 'deployment/keep-cron-r1', 'service/keep-cron']);
    await expectUnchanged(ns, snapshots);
  });
});

describe('delete, invoke and the views see only Funcdeck objects', () => {
  it('deleting a name Funcdeck does not own is NOT_FOUND and deletes nothing', async () => {
    for (const name of ['svc-clash', 'cm-clash', 'dep-clash', 'cron-clash']) {
      const e = await rejection(h.call('functions.delete', { name }));
      expect(e.code, name).toBe('NOT_FOUND');
    }
    await expectUnchanged(ns, snapshots);
  });

  it('invoking a Service that is not a Funcdeck function is NOT_FOUND (and sends it nothing)', async () => {
    // The person's app does answer through the same proxy path, so answering NOT_FOUND is a decision.
    expect((await invoke(ns, 'svc-clash')).text).toBe('user app');
    const e = await rejection(invokeHandlers(h.ctx).calls['invoke.send'](InvokeRequest.parse({ function: 'svc-clash', path: '/' })));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/Service "svc-clash".*not a Funcdeck function/);
    await expectUnchanged(ns, snapshots);
  });

  it("logs, metrics and events of a function leave out a pod with only the function's label", async () => {
    const logs = logsHandlers(h.ctx);
    const logSink = recordingSink<LogsBatch>();
    const logDone = logs.streams['logs.follow'](LogsFollowParams.parse({ function: 'svc-clash', tailLines: 10 }), logSink);
    const metrics = metricsHandlers(h.ctx);
    const metricSink = recordingSink<MetricsEvent>();
    const metricDone = metrics.streams['metrics.watch'](MetricsWatchParams.parse({ function: 'svc-clash' }), metricSink);
    const events = eventsHandlers(h.ctx).streams['events.watch'];
    const podEvents = recordingSink<EventsSnapshot>();
    const fnEvents = recordingSink<EventsSnapshot>();
    const podDone = events({ kind: 'Pod', name: 'svc-clash-user' }, podEvents);
    const fnDone = events({ function: 'svc-clash' }, fnEvents);
    try {
      // The pod's own events exist (so a view that selected it would show them) ...
      await podEvents.until((ev) => ev.some((s) => s.events.some((e) => e.reason === 'Started')), 30_000, 'the pod’s events');
      await logSink.until((ev) => ev.some((e) => e.status), 20_000, 'a logs status');
      await metricSink.until((ev) => ev.some((e) => e.samples.length), 20_000, 'a metrics sample');
      await fnEvents.until((ev) => ev.length > 0, 20_000, 'an events snapshot');
      // ... but no view of the function has the pod, its lines or its events.
      expect(logSink.events.flatMap((e) => e.event.status?.pods ?? []).map((p) => p.pod)).not.toContain('svc-clash-user');
      expect(logSink.events.flatMap((e) => e.event.lines).map((l) => l.text)).not.toContain('USER-LOG-LINE');
      expect(metricSink.events.flatMap((e) => e.event.samples.flatMap((s) => s.pods)).map((p) => p.pod)).not.toContain('svc-clash-user');
      expect(fnEvents.events.at(-1)!.event.events.map((e) => e.involvedObject.name)).not.toContain('svc-clash-user');
    } finally {
      for (const s of [logSink, metricSink, podEvents, fnEvents]) s.unsubscribe();
      await Promise.allSettled([logDone, metricDone, podDone, fnDone]);
    }
  });
});

describe('field-manager conflicts on Funcdeck objects', () => {
  it('a field someone else set on the function’s own Service is taken back on the next deploy (it is ours)', async () => {
    await h.call('functions.deploy', { spec: nodeSpec('takeback', handler('one')), wait: true });
    // Someone edits the Service's selector, as kubectl edit would: they now own that field.
    await kubeJson(
      cluster.kc,
      {
        method: 'PATCH',
        path: `/api/v1/namespaces/${ns}/services/takeback`,
        query: { fieldManager: 'kubectl-edit' },
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: { metadata: { labels: { team: 'web' } }, spec: { selector: { [LABELS.revision]: '99' } } },
      },
      { verb: 'patch', resource: 'services' },
    );
    // Server-side apply without force conflicts on the selector; the Service is ours, so it is forced.
    await h.call('functions.deploy', { spec: nodeSpec('takeback', handler('two')), wait: true });
    const svc = (await getRaw(ns, 'Service', 'takeback'))!;
    expect((svc.spec as { selector: Record<string, string> }).selector[LABELS.revision]).toBe('2');
    expect(svc.metadata.labels?.team).toBe('web'); // a field nobody else applies stays as they set it
    expect((await invoke(ns, 'takeback')).text).toBe('two');
  });
});

describe('rollback and garbage collection act only on Funcdeck objects', () => {
  it("rollback refuses to route traffic through someone else's Service of the function's name", async () => {
    await h.call('functions.deploy', { spec: nodeSpec('owned', handler('one')), wait: true });
    await h.call('functions.deploy', { spec: nodeSpec('owned', handler('two')), wait: true });
    // Someone replaces the function's Service with their own.
    await deleteRaw(ns, 'Service', 'owned');
    await createRaw(ns, 'Service', userService('owned', 'user-web'));
    const theirs = await settledSnapshot(ns, 'Service', 'owned');

    const e = await rejection(h.call('revisions.rollback', { name: 'owned', revision: 1 }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('Service "owned"');
    const inv = await rejection(invokeHandlers(h.ctx).calls['invoke.send'](InvokeRequest.parse({ function: 'owned', path: '/' })));
    expect(inv.code).toBe('NOT_FOUND');
    const del = await h.call('functions.delete', { name: 'owned' });
    expect(del.deleted).not.toContain('service/owned');
    expect(JSON.stringify(await getRaw(ns, 'Service', 'owned'))).toBe(theirs);
    await expectUnchanged(ns, snapshots);
  });

  it("garbage collection deletes an old revision's Deployment but not someone else's ConfigMap of its name", async () => {
    const gc = harness(ns, { revisionsToKeep: 1 });
    try {
      await gc.call('functions.deploy', { spec: nodeSpec('gcfn', handler('one')), wait: true });
      // Someone replaces revision 1's ConfigMap with their own.
      await deleteRaw(ns, 'ConfigMap', 'gcfn-r1');
      await createRaw(ns, 'ConfigMap', { metadata: { name: 'gcfn-r1' }, data: { theirs: 'yes' } });
      const theirs = await settledSnapshot(ns, 'ConfigMap', 'gcfn-r1');
      await gc.call('functions.deploy', { spec: nodeSpec('gcfn', handler('two')), wait: true });
      // An unchanged deploy queues behind the garbage collection under the function's lock: GC is done after it.
      await gc.call('functions.deploy', { spec: nodeSpec('gcfn', handler('two')), wait: false });
      await eventually(async () => expect(await getRaw(ns, 'Deployment', 'gcfn-r1')).toBeNull());
      expect(JSON.stringify(await getRaw(ns, 'ConfigMap', 'gcfn-r1'))).toBe(theirs);
      expect((await allFuncdeckObjects(ns, 'gcfn')).sort()).toEqual(['ConfigMap/gcfn-r2', 'Deployment/gcfn-r2', 'Service/gcfn']);
    } finally {
      await gc.dispose();
    }
    await expectUnchanged(ns, snapshots);
  });
});
