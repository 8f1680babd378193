import { BatchV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../shared/contract';
import { cronHandlers } from '../../electron/engine/cron/handlers';
import { cluster, createNamespace, deleteNamespace, eventually, harness, nodeSpec, type FunctionsHarness } from './support-functions';

/**
 * A function's cron trigger on the dev cluster: "Run now" makes a Job from the CronJob (as kubectl
 * create job --from=cronjob does) even while the trigger is disabled, the run calls the function
 * with a cron-tick CloudEvent, and the last runs list it with its answer line from the log.
 */
let ns: string;
let h: FunctionsHarness;
let cron: ReturnType<typeof cronHandlers>['calls'];
const batch = cluster.kc.makeApiClient(BatchV1Api);

const status = async (fn: string) => calls['cron.status'].result.parse(await cron['cron.status']({ function: fn, limit: 10 }));

beforeAll(async () => {
  ns = await createNamespace('cron');
  h = harness(ns);
  cron = cronHandlers(h.ctx).calls;
  await Promise.all([
    h.call('functions.deploy', {
      spec: nodeSpec('ticked', "exports.main = (event) => ({ type: event['event-type'], source: event['event-namespace'], id: event['event-id'], data: event.data });", {
        // A schedule that will not come during the test, and disabled: only "Run now" runs it.
        cron: { schedule: '0 0 1 1 *', payload: '{"n":1}', contentType: 'application/json', enabled: false },
      }),
      wait: true,
    }),
    h.call('functions.deploy', { spec: nodeSpec('plain', 'exports.main = () => 1;'), wait: true }),
  ]);
}, 240_000);

afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('cron trigger: run now and last runs', () => {
  it('shows the deployed trigger suspended, with no runs yet', async () => {
    expect(await status('ticked')).toEqual({ deployed: { schedule: '0 0 1 1 *', suspended: true, lastScheduleTime: null, lastSuccessfulTime: null }, runs: [] });
  });

  it('runs now: a labelled Job owned by the CronJob, whose call the function answers; the run is listed with its answer line', async () => {
    const { job } = await cron['cron.runNow']({ function: 'ticked' });
    const created = await batch.readNamespacedJob({ name: job, namespace: ns });
    expect(created.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'ticked' });
    expect(created.metadata?.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(created.metadata?.ownerReferences).toMatchObject([{ kind: 'CronJob', name: 'ticked-cron', controller: true }]);

    const run = await eventually(async () => {
      const s = await status('ticked');
      expect(s.runs[0]).toMatchObject({ name: job, manual: true, state: 'succeeded', httpStatus: 200 });
      expect(s.runs[0]!.answer).not.toBeNull();
      return s.runs[0]!;
    }, 120_000);
    expect(run.durationMs).toBeGreaterThan(0);
    const answer = /^HTTP 200 in \d+ ms: (.*)$/.exec(run.answer!);
    expect(JSON.parse(answer![1]!)).toMatchObject({ type: 'dev.funcdeck.cron.tick', source: `/namespaces/${ns}/cronjobs/ticked-cron`, id: expect.stringMatching(/^ticked-cron-m/), data: { n: 1 } });
    console.log(`[cron] run ${job}: ${run.state} in ${run.durationMs} ms, answer ${run.answer}`);
  });

  it('refuses to run a trigger that is not deployed, and one whose CronJob is someone else’s; nothing is created', async () => {
    await expect(cron['cron.runNow']({ function: 'plain' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await batch.createNamespacedCronJob({
      namespace: ns,
      body: {
        metadata: { name: 'foreign-cron' },
        spec: { schedule: '0 0 1 1 *', suspend: true, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'none' }] } } } } },
      },
    });
    await expect(cron['cron.runNow']({ function: 'foreign' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/CronJob "foreign-cron"/) });
    expect((await status('foreign')).deployed).toBeNull();
    const jobs = await batch.listNamespacedJob({ namespace: ns });
    expect(jobs.items.filter((j) => j.metadata?.name?.startsWith('foreign-cron'))).toEqual([]);
  });
});
