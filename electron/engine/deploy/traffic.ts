import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { objectMetadataOf } from './extras';
import { collections, listObjects } from './kube-ops';
import { functionService } from './manifests';
import { functionSelector, revisionName, revisionOf } from './names';
import { applyOwned, deleteOwned, scaleOwned } from './owned-writes';
import { notOwnedError } from './ownership';
import { readFunction, type FunctionObjects } from './revision-state';

/** Time between moving traffic away from a revision and scaling it down, so calls in flight finish. */
export const DRAIN_MS = 5_000;

/**
 * Points the function's Service at one revision (all traffic), recording it in an annotation.
 * `now` is the function as just read: a Service of its name that is not ours stops here.
 */
export async function routeAllTraffic(kc: KubeConfig, ns: string, fn: string, revision: number, now: Pick<FunctionObjects, 'foreignService'> & Partial<Pick<FunctionObjects, 'revisions'>>): Promise<void> {
  if (now.foreignService) throw notOwnedError(`route traffic of "${fn}" to revision ${revision}`, fn, [now.foreignService]);
  await applyOwned(kc, functionService(ns, fn, revision, objectMetadataOf(now.revisions?.find((r) => r.number === revision)?.deployment)));
}

/** Sets the replicas of one of the function's revisions, as listed in `objs`. */
export async function scaleRevision(kc: KubeConfig, fn: string, rev: FunctionObjects['revisions'][number], replicas: number): Promise<void> {
  await scaleOwned(kc, fn, rev.deployment, replicas);
}

/**
 * After traffic moved to `serving`: scale the other revisions (only older ones unless `all`) to zero
 * once the drain time has passed. Runs in the background; a revision deleted meanwhile is fine.
 */
export function scaleDownOthersLater(kc: KubeConfig, ns: string, fn: string, serving: number, all: boolean, signal: AbortSignal, drainMs = DRAIN_MS): void {
  const cancel = () => clearTimeout(timer);
  const timer = setTimeout(() => {
    signal.removeEventListener('abort', cancel);
    void (async () => {
      try {
        const objs = await readFunction(kc, ns, fn);
        if (objs.serving !== serving) return; // traffic moved again meanwhile; that move handles it
        for (const r of objs.revisions) {
          if (r.number === serving || (!all && r.number > serving)) continue;
          if ((r.deployment.spec?.replicas ?? 0) > 0) await scaleRevision(kc, fn, r, 0).catch(() => undefined);
        }
      } catch {
        // the function may be gone; nothing to scale down
      }
    })();
  }, drainMs);
  signal.addEventListener('abort', cancel, { once: true });
}

/**
 * Keeps the newest `keep` revisions and the serving one; deletes the rest (Deployment and ConfigMap),
 * and revision ConfigMaps of ours left without a Deployment below the newest revision (a deploy that
 * failed before its undo finished). Only objects with this function's labels are deleted.
 */
export async function collectGarbage(kc: KubeConfig, ns: string, fn: string, keep: number): Promise<number[]> {
  const [objs, configMaps] = await Promise.all([readFunction(kc, ns, fn), listObjects<V1ConfigMap>(kc, collections(ns).configmaps, functionSelector(fn))]);
  const doomed = objs.revisions.slice(keep).filter((r) => r.number !== objs.serving);
  for (const r of doomed) await deleteOwned(kc, 'Deployment', fn, r.deployment);
  const newest = objs.revisions[0]?.number ?? 0;
  const kept = new Set(objs.revisions.filter((r) => !doomed.includes(r)).map((r) => r.number));
  const listed = new Set(objs.revisions.map((r) => r.number));
  for (const cm of configMaps) {
    const n = revisionOf(cm);
    if (n === null || cm.metadata?.name !== revisionName(fn, n) || kept.has(n)) continue;
    // A ConfigMap newer than every Deployment may belong to a deploy in another engine that has not applied its Deployment yet.
    if (listed.has(n) || n < newest) await deleteOwned(kc, 'ConfigMap', fn, cm);
  }
  return doomed.map((r) => r.number);
}
