import { randomUUID } from 'node:crypto';
import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { currentTraffic, lastCanaryText } from '../gateway/canary-settle';
import { applyTraffic, gatewayNeed, lastCanaryTextOf, rolloutTextOf, scaleOf, servingOf, trafficDocOf, type Desired, type RoutingTarget } from '../gateway/routing';
import { parseCanaryPlan, routedRevisions } from '../gateway/shared/traffic-doc';
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
 * Whether moving all traffic to `revision` changes anything: another revision serves, traffic is
 * split, tagged or canaried, or the revision needs the gateway (it scales to zero or autoscales).
 */
export function needsRouting(now: FunctionObjects, revision: number): boolean {
  if (now.serving !== revision || trafficDocOf(now.service) !== null) return true;
  const scales = new Map(now.revisions.map((r) => [r.number, scaleOf(r)]));
  return gatewayNeed({ weights: [{ revision, percent: 100 }], tags: [], canary: null }, scales) !== null;
}

/**
 * Sends all traffic to one revision (tags stay), or, when the function has a rollout plan and
 * `canary` is set (a deploy), starts a canary from the serving revision to it. A function that
 * needs nothing more than one revision's pods gets its Service pointed at them, as before the
 * gateway existed; anything else goes through gateway/routing.ts. `now` is the function as just
 * read: a Service of its name that is not ours stops here. Returns what happened, in words.
 */
export async function routeAllTraffic(t: RoutingTarget, fn: string, revision: number, now: FunctionObjects, opts: { canary: boolean }): Promise<{ detail: string; canary: boolean }> {
  if (now.foreignService) throw notOwnedError(`route traffic of "${fn}" to revision ${revision}`, fn, [now.foreignService]);
  const doc = trafficDocOf(now.service);
  const rollout = rolloutTextOf(now.service);
  const plan = parseCanaryPlan(rollout ? safeJson(rollout) : null);
  // Where traffic is now, a canary the gateway finished counted as done.
  const cur = await currentTraffic(t.kc, t.namespace, fn, now);
  const tags = cur.desired?.tags ?? [];
  const serving = cur.desired ? (cur.desired.canary?.from ?? servingOf(cur.desired)) : null;
  let d: Desired = { weights: [{ revision, percent: 100 }], tags, canary: null };
  if (opts.canary && plan && serving !== null && serving !== revision) {
    d = { weights: [{ revision: serving, percent: 100 }], tags, canary: { ...plan, id: randomUUID().slice(0, 8), from: serving, to: revision, startedAt: new Date().toISOString() } };
  }
  const scales = new Map(now.revisions.map((r) => [r.number, scaleOf(r)]));
  if (!doc && gatewayNeed(d, scales) === null) {
    await applyOwned(t.kc, functionService(t.namespace, fn, revision, objectMetadataOf(now.revisions.find((r) => r.number === revision)?.deployment), { doc: null, rollout, lastCanary: lastCanaryTextOf(now.service) }));
    return { detail: `Revision ${revision} serves all traffic`, canary: false };
  }
  await applyTraffic(t, fn, d, cur.finished ? { lastCanary: lastCanaryText(cur.finished) } : {});
  if (d.canary) {
    const detail = `Revision ${revision} rolls out as a canary: ${d.canary.steps.join('% → ')}%, one step every ${d.canary.stepSeconds} s; it goes back to revision ${d.canary.from} on its own if more than ${Math.round(d.canary.maxErrorRate * 100)}% of its calls fail`;
    return { detail, canary: true };
  }
  return { detail: `Revision ${revision} serves all traffic${tags.length ? ` (tags kept: ${tags.map((x) => `${x.name} → ${x.revision}`).join(', ')})` : ''}`, canary: false };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Sets the replicas of one of the function's revisions, as listed in `objs`. */
export async function scaleRevision(kc: KubeConfig, fn: string, rev: FunctionObjects['revisions'][number], replicas: number): Promise<void> {
  await scaleOwned(kc, fn, rev.deployment, replicas);
}

/**
 * After traffic moved to `serving`: scale the other revisions (only older ones unless `all`) to zero
 * once the drain time has passed, except those that still get traffic (a weight, a tag, a canary;
 * the gateway scales those). Runs in the background; a revision deleted meanwhile is fine.
 */
export function scaleDownOthersLater(kc: KubeConfig, ns: string, fn: string, serving: number, all: boolean, signal: AbortSignal, drainMs = DRAIN_MS): void {
  const cancel = () => clearTimeout(timer);
  const timer = setTimeout(() => {
    signal.removeEventListener('abort', cancel);
    void (async () => {
      try {
        const objs = await readFunction(kc, ns, fn);
        if (objs.serving !== serving) return; // traffic moved again meanwhile; that move handles it
        const doc = trafficDocOf(objs.service);
        const routed = doc ? routedRevisions(doc) : new Set<number>();
        for (const r of objs.revisions) {
          if (r.number === serving || routed.has(r.number) || (!all && r.number > serving)) continue;
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
 * Keeps the newest `keep` revisions, the serving one and any that gets traffic (a weight, a tag, a
 * canary); deletes the rest (Deployment and ConfigMap),
 * and revision ConfigMaps of ours left without a Deployment below the newest revision (a deploy that
 * failed before its undo finished). Only objects with this function's labels are deleted.
 */
export async function collectGarbage(kc: KubeConfig, ns: string, fn: string, keep: number): Promise<number[]> {
  const [objs, configMaps] = await Promise.all([readFunction(kc, ns, fn), listObjects<V1ConfigMap>(kc, collections(ns).configmaps, functionSelector(fn))]);
  const doc = trafficDocOf(objs.service);
  const routed = doc ? routedRevisions(doc) : new Set<number>();
  const doomed = objs.revisions.slice(keep).filter((r) => r.number !== objs.serving && !routed.has(r.number));
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
