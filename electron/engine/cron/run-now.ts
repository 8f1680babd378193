import type { KubeConfig, V1CronJob, V1Job } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { LABELS } from '../../../shared/contract/runtime-protocol';
import { cronJobName, functionLabels } from '../deploy/names';
import { foreignObject, notOwnedError } from '../deploy/ownership';
import { createOwned, readOwned, type Manifest } from '../deploy/owned-writes';

/** What `kubectl create job --from=cronjob/...` marks a manual run with; the cron's runs list reads it. */
export const MANUAL_RUN_ANNOTATION = 'cronjob.kubernetes.io/instantiate';

/** A name for a manual run: the CronJob's name, "-m" and the time in base 36 (at most 40 + 5 + 11 characters). */
export function manualRunName(fn: string, now = Date.now()): string {
  return `${cronJobName(fn)}-m${now.toString(36)}`;
}

/**
 * The Job a manual run creates, as kubectl's `create job --from=cronjob` makes it: the CronJob's
 * jobTemplate, owned by the CronJob (so it is cleaned up with it), marked manual. Funcdeck's labels
 * are set whatever the template says, so the run is this function's.
 */
export function jobFromCronJob(cron: V1CronJob, fn: string, name: string): Manifest & V1Job {
  const tpl = cron.spec?.jobTemplate;
  if (!tpl?.spec || !cron.metadata?.uid || !cron.metadata.name || !cron.metadata.namespace) {
    throw new FuncdeckError('INTERNAL', `CronJob "${cron.metadata?.name ?? ''}" has no job template or uid, so no run can be made from it.`);
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cron.metadata.namespace,
      labels: { ...(tpl.metadata?.labels ?? {}), ...functionLabels(fn) },
      annotations: { ...(tpl.metadata?.annotations ?? {}), [MANUAL_RUN_ANNOTATION]: 'manual' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cron.metadata.name, uid: cron.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: tpl.spec,
  };
}

/** Runs the function's deployed cron trigger now; returns the new Job's name. */
export async function runCronNow(kc: KubeConfig, namespace: string, fn: string): Promise<string> {
  const name = cronJobName(fn);
  const found = await readOwned<V1CronJob>(kc, 'CronJob', namespace, name, fn);
  if (found.state === 'absent') {
    throw new FuncdeckError('NOT_FOUND', `"${fn}" has no cron trigger deployed in namespace "${namespace}". Add a schedule in its Settings and deploy, then run it.`);
  }
  if (found.state === 'foreign') throw notOwnedError(`run CronJob "${name}"`, fn, [foreignObject('CronJob', namespace, found.obj, fn)]);
  const jobName = manualRunName(fn);
  const job = jobFromCronJob(found.obj, fn, jobName);
  if (job.metadata?.labels?.[LABELS.function] !== fn) throw new FuncdeckError('INTERNAL', 'A manual run without the function label. This is a bug in Funcdeck.');
  await createOwned(kc, job);
  return jobName;
}
