import type { KubeConfig } from '@kubernetes/client-node';
import { applyBody, deleteOwned, readOwned, type Manifest } from './owned-writes';
import { foreignObject, notOwnedError, type ForeignObject, type LabelledObject } from './ownership';

/**
 * A deploy's pre-flight: before anything is written, every object it would create or change is read,
 * and one that exists without this function's labels stops the deploy (nothing written). The list
 * is the manifests the deploy is about to apply, so an object kind added later is checked too.
 */
export interface WritePlan {
  /** `Kind/name` of the objects to apply that exist already (and are ours). */
  existing: Set<string>;
  /** Objects to delete after the writes (ours, as read now). */
  removals: Array<{ kind: string; obj: LabelledObject }>;
  /** Objects the deploy would have deleted but are someone else's: left alone. */
  leftAlone: ForeignObject[];
}

export const objectKey = (kind: string, name: string) => `${kind}/${name}`;

export async function checkBeforeWriting(
  kc: KubeConfig,
  ns: string,
  fn: string,
  writes: Manifest[],
  removals: Array<{ kind: string; name: string }>,
  /** Completes "Cannot ..." in the error, e.g. `deploy "hello"`. */
  doing = `deploy "${fn}"`,
): Promise<WritePlan> {
  for (const w of writes) applyBody(w); // text that cannot be stored fails here, before any write
  const [found, toRemove] = await Promise.all([
    Promise.all(writes.map((w) => readOwned(kc, w.kind, ns, w.metadata?.name ?? '', fn))),
    Promise.all(removals.map((r) => readOwned(kc, r.kind, ns, r.name, fn))),
  ]);
  const foreign = found.flatMap((f, i) => (f.state === 'foreign' ? [foreignObject(writes[i]!.kind, ns, f.obj, fn)] : []));
  if (foreign.length) throw notOwnedError(doing, fn, foreign);
  const plan: WritePlan = { existing: new Set(), removals: [], leftAlone: [] };
  found.forEach((f, i) => f.state === 'ours' && plan.existing.add(objectKey(writes[i]!.kind, writes[i]!.metadata?.name ?? '')));
  toRemove.forEach((f, i) => {
    const kind = removals[i]!.kind;
    if (f.state === 'ours') plan.removals.push({ kind, obj: f.obj });
    else if (f.state === 'foreign') plan.leftAlone.push(foreignObject(kind, ns, f.obj, fn));
  });
  return plan;
}

/**
 * Deletes, newest first, the objects a failed deploy created (never ones that existed before it).
 * Returns `Kind/name` of those it could not delete (they carry our labels; deleting the function removes them).
 */
export async function undoCreated(kc: KubeConfig, fn: string, created: Array<{ kind: string; obj: LabelledObject }>): Promise<string[]> {
  const left: string[] = [];
  for (const { kind, obj } of [...created].reverse()) {
    const outcome = await deleteOwned(kc, kind, fn, obj).catch(() => 'failed' as const);
    if (outcome === 'failed') left.push(objectKey(kind, obj.metadata?.name ?? ''));
  }
  return left;
}
