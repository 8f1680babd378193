import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { collections, listObjects } from '../deploy/kube-ops';
import { functionSelector } from '../deploy/names';
import { deleteOwned } from '../deploy/owned-writes';
import type { LabelledObject } from '../deploy/ownership';

// Service first (traffic stops), then the trigger, then revisions; Deployments take their ReplicaSets and pods along.
const KINDS = [
  ['services', 'Service'],
  ['cronjobs', 'CronJob'],
  ['jobs', 'Job'],
  ['deployments', 'Deployment'],
  ['configmaps', 'ConfigMap'],
] as const;

/**
 * Deletes every object of a function: those labelled as Funcdeck's for this very function, found by
 * label (never by name, so a person's Service or ConfigMap named like the function stays). Each
 * delete carries the object's uid, so nothing replaced meanwhile is deleted. NOT_FOUND when there is none.
 */
export async function deleteFunction(kc: KubeConfig, ns: string, fn: string): Promise<string[]> {
  const c = collections(ns);
  const found = await Promise.all(KINDS.map(([key]) => listObjects<LabelledObject>(kc, c[key], functionSelector(fn))));
  const deleted: string[] = [];
  for (const [i, [, kind]] of KINDS.entries()) {
    for (const obj of found[i]!) {
      if ((await deleteOwned(kc, kind, fn, obj)) === 'deleted') deleted.push(`${kind.toLowerCase()}/${obj.metadata?.name ?? ''}`);
    }
  }
  if (!deleted.length) throw new FuncdeckError('NOT_FOUND', `There is no function "${fn}" in namespace "${ns}"; nothing was deleted.`);
  return deleted;
}
