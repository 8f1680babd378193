import type { KubeConfig } from '@kubernetes/client-node';
import type { FunctionObjects } from '../deploy/revision-state';
import { readFunction } from '../deploy/revision-state';
import { applyTraffic, servingOf, trafficDocOf, type Desired, type RoutingTarget } from './routing';
import type { CanaryProgress } from './shared/canary';
import { effectiveWeights } from './shared/pick';
import type { CanaryDoc } from './shared/traffic-doc';
import { canaryStatus, keptProgress } from './traffic-state';

/**
 * A canary ends in the gateway (promoted, or rolled back on its own), which cannot write the
 * function's Service. The engine settles it when it next sees it: the Service's weights become the
 * outcome's, the canary leaves the doc, and how it ended is kept in an annotation. Until then the
 * gateway routes by its own progress, so callers never wait for the engine.
 */
export interface Current {
  /** The traffic as callers get it now (a finished canary resolved), or null before any revision serves. */
  desired: Desired | null;
  /** A canary that ended and is not settled yet. */
  finished: { canary: CanaryDoc; progress: CanaryProgress } | null;
}

export async function currentTraffic(kc: KubeConfig, ns: string, fn: string, objs: FunctionObjects): Promise<Current> {
  const doc = trafficDocOf(objs.service);
  if (!doc) return { desired: objs.serving ? { weights: [{ revision: objs.serving, percent: 100 }], tags: [], canary: null } : null, finished: null };
  if (!doc.canary) return { desired: { weights: doc.weights, tags: doc.tags, canary: null }, finished: null };
  const progress = await keptProgress(kc, ns, fn);
  if (progress?.id === doc.canary.id && progress.phase !== 'running') {
    return { desired: { weights: effectiveWeights(doc.weights, doc.canary, progress.phase, progress.step), tags: doc.tags, canary: null }, finished: { canary: doc.canary, progress } };
  }
  return { desired: { weights: doc.weights, tags: doc.tags, canary: doc.canary }, finished: null };
}

/** The outcome to keep on the Service once a canary is settled. */
export function lastCanaryText(f: NonNullable<Current['finished']>): string {
  return JSON.stringify(canaryStatus(f.canary, f.progress, null));
}

/** Settles a finished canary (the caller holds the function's lock): the serving revision before and after, or null when there was none. */
export async function settleCanary(t: RoutingTarget, fn: string): Promise<{ from: number | null; to: number } | null> {
  const objs = await readFunction(t.kc, t.namespace, fn);
  const cur = await currentTraffic(t.kc, t.namespace, fn, objs);
  if (!cur.finished || !cur.desired) return null;
  await applyTraffic(t, fn, cur.desired, { lastCanary: lastCanaryText(cur.finished) });
  return { from: objs.serving, to: servingOf(cur.desired) };
}
