import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { applyObject, collections, deleteObject, mergePatch } from './kube-ops';
import { functionService } from './manifests';
import { revisionName } from './names';
import { readFunction } from './revision-state';

/** Time between moving traffic away from a revision and scaling it down, so calls in flight finish. */
export const DRAIN_MS = 5_000;

/** Points the function's Service at one revision (all traffic), recording it in an annotation. */
export async function routeAllTraffic(kc: KubeConfig, ns: string, fn: string, revision: number): Promise<void> {
  await applyObject(kc, functionService(ns, fn, revision));
}

export async function scaleRevision(kc: KubeConfig, ns: string, fn: string, revision: number, replicas: number): Promise<void> {
  await mergePatch<V1Deployment & { apiVersion: string; kind: string }>(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: revisionName(fn, revision), namespace: ns },
    spec: { replicas } as V1Deployment['spec'],
  });
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
          if ((r.deployment.spec?.replicas ?? 0) > 0) await scaleRevision(kc, ns, fn, r.number, 0).catch(() => undefined);
        }
      } catch {
        // the function may be gone; nothing to scale down
      }
    })();
  }, drainMs);
  signal.addEventListener('abort', cancel, { once: true });
}

/** Keeps the newest `keep` revisions and the serving one; deletes the rest (Deployment and ConfigMap). */
export async function collectGarbage(kc: KubeConfig, ns: string, fn: string, keep: number): Promise<number[]> {
  const objs = await readFunction(kc, ns, fn);
  const doomed = objs.revisions.slice(keep).filter((r) => r.number !== objs.serving);
  const c = collections(ns);
  for (const r of doomed) {
    await deleteObject(kc, c.deployments, revisionName(fn, r.number));
    await deleteObject(kc, c.configmaps, revisionName(fn, r.number));
  }
  return doomed.map((r) => r.number);
}
