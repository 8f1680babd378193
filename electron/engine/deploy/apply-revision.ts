import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { dependencyParts, isDependencyPart } from '../deps/delivery';
import { objectMetadata } from './extras';
import { functionService, revisionConfigMap, revisionDeployment, type RevisionInput } from './manifests';
import { cronJobName } from './names';
import { applyOwned, deleteOwned, type Manifest } from './owned-writes';
import type { ForeignObject, LabelledObject } from './ownership';
import type { FunctionObjects } from './revision-state';
import { locateInSources } from './source-location';
import { checkBeforeWriting, objectKey, undoCreated } from './write-plan';

/**
 * Writes one new revision: its ConfigMap and Deployment, the Service for a function's first revision
 * (later ones move it once Ready), and the CronJob (applied, or deleted when the spec has none).
 *
 * First the pre-flight (write-plan.ts): every object is read, and one that is not this function's
 * stops the deploy before anything is written. Then the writes, in order; when one is refused
 * (quota, RBAC, admission, a conflict), the objects this deploy created are deleted again, so the
 * cluster is as the deploy found it. Undoing is used rather than an ordering trick because any of
 * the kinds can be refused, and a revision's ConfigMap and Deployment are useless without each other.
 * Deleting the CronJob is the last step, so nothing after it can fail.
 */
export async function applyRevision(kc: KubeConfig, input: RevisionInput, cron: Manifest | null, objs: FunctionObjects): Promise<{ leftAlone: ForeignObject[] }> {
  const { spec, namespace: ns, revision } = input;
  const service = functionService(ns, spec.name, revision, objectMetadata(spec));
  // Dependency parts first: the Deployment's pods mount them. They are immutable and named by content.
  const parts = input.dependencies ? dependencyParts(ns, spec.name, input.dependencies) : [];
  const writes: Manifest[] = [...parts, revisionConfigMap(input), revisionDeployment(input, Math.max(1, spec.scale.min)), ...(objs.service ? [] : [service]), ...(cron ? [cron] : [])];
  // The Service is checked even when this deploy does not write it: the rollout will.
  const checked = objs.service ? [...writes, service] : writes;
  const removals = cron ? [] : [{ kind: 'CronJob', name: cronJobName(spec.name) }];
  const plan = await checkBeforeWriting(kc, ns, spec.name, checked, removals).catch((e: unknown) => {
    throw locateInSources(e, spec);
  });
  const created: Array<{ kind: string; obj: LabelledObject }> = [];
  try {
    for (const w of writes) {
      if (isDependencyPart(w) && plan.existing.has(objectKey(w.kind, w.metadata?.name ?? ''))) continue; // same name, same bytes
      const obj = await applyOwned<LabelledObject>(kc, w);
      if (!plan.existing.has(objectKey(w.kind, w.metadata?.name ?? ''))) created.push({ kind: w.kind, obj });
    }
    for (const r of plan.removals) await deleteOwned(kc, r.kind, spec.name, r.obj);
  } catch (e) {
    const left = await undoCreated(kc, spec.name, created);
    if (left.length && e instanceof FuncdeckError) {
      throw new FuncdeckError(e.code, `${e.message} This deploy's ${left.join(', ')} could not be removed again; deleting the function removes ${left.length > 1 ? 'them' : 'it'}.`, e.details);
    }
    throw e;
  }
  return { leftAlone: plan.leftAlone };
}
