import type { KubeConfig, V1ConfigMap, V1Service } from '@kubernetes/client-node';
import { CanaryStatus, type CanaryPlan, type GatewayInfo, type TrafficState } from '../../../shared/contract/traffic';
import { collections, getObject } from '../deploy/kube-ops';
import { GATEWAY_OWNER, isOurs } from '../deploy/ownership';
import { podStateOf } from '../deploy/pod-status';
import { readFunction, type FunctionObjects } from '../deploy/revision-state';
import { readGateway } from './install';
import { GATEWAY_CONTAINER } from './manifests';
import { gatewayVersion } from './program';
import { gatewayNeed, lastCanaryTextOf, rolloutTextOf, scaleOf, trafficDocOf } from './routing';
import type { CanaryProgress } from './shared/canary';
import { STATUS_CONFIGMAP } from './shared/constants';
import { effectiveWeights } from './shared/pick';
import type { GatewayStatusDoc } from './shared/status-doc';
import { GATEWAY_ANNOTATIONS, parseCanaryPlan, type CanaryDoc, type TrafficDoc, type Weight } from './shared/traffic-doc';
import { readGatewayStatus } from './status';

/**
 * A function's traffic as callers get it: the doc on its Service, with a running canary's step
 * and outcome as the gateway reports them (its /status, or the progress it keeps in its status
 * ConfigMap when no gateway pod answers).
 */

/** A canary's progress without the gateway's word: its step by the clock since it started. */
export function estimatedProgress(c: CanaryDoc, now = Date.now()): CanaryProgress {
  const started = Date.parse(c.startedAt);
  const step = Math.min(c.steps.length - 1, Math.max(0, Math.floor((now - started) / (c.stepSeconds * 1000))));
  return { id: c.id, phase: 'running', step, stepStartedAt: started + step * c.stepSeconds * 1000, finishedAt: null, reason: null };
}

/** Each revision's share of the traffic, from the function's Service alone (for the function views). */
export function trafficShares(service: V1Service | null | undefined, servingRevision: number | null, progress?: CanaryProgress | null): Map<number, number> {
  const doc = trafficDocOf(service);
  if (!doc) return new Map(servingRevision ? [[servingRevision, 100]] : []);
  const p = doc.canary ? (progress?.id === doc.canary.id ? progress : estimatedProgress(doc.canary)) : null;
  return new Map(effectiveWeights(doc.weights, doc.canary, p?.phase ?? null, p?.step ?? 0).map((w) => [w.revision, w.percent]));
}

function planOf(p: { steps: number[]; stepSeconds: number; maxErrorRate: number; windowSeconds: number; minRequests: number }): CanaryPlan {
  return { steps: p.steps, stepSeconds: p.stepSeconds, maxErrorRate: p.maxErrorRate, windowSeconds: p.windowSeconds, minRequests: p.minRequests };
}

export function canaryStatus(c: CanaryDoc, p: CanaryProgress, window: { requests: number; errors: number } | null): CanaryStatus {
  const percent = p.phase === 'promoted' ? 100 : p.phase === 'running' ? (c.steps[Math.min(p.step, c.steps.length - 1)] ?? 0) : 0;
  return {
    from: c.from,
    to: c.to,
    plan: planOf(c),
    state: p.phase,
    step: p.step,
    percent,
    startedAt: c.startedAt,
    nextStepAt: p.phase === 'running' ? new Date(p.stepStartedAt + c.stepSeconds * 1000).toISOString() : null,
    finishedAt: p.finishedAt ? new Date(p.finishedAt).toISOString() : null,
    reason: p.reason,
    window,
  };
}

/** The canary progress the gateway keeps in its status ConfigMap (null when there is none). */
export async function keptProgress(kc: KubeConfig, ns: string, fn: string): Promise<CanaryProgress | null> {
  const cm = await getObject<V1ConfigMap>(kc, collections(ns).configmaps, STATUS_CONFIGMAP).catch(() => null);
  if (!cm || !isOurs(cm, GATEWAY_OWNER)) return null;
  try {
    return JSON.parse(cm.data?.[`canary.${fn}`] ?? 'null') as CanaryProgress | null;
  } catch {
    return null;
  }
}

export async function readTrafficState(kc: KubeConfig, ns: string, fn: string, objs?: FunctionObjects, signal?: AbortSignal): Promise<TrafficState> {
  const f = objs ?? (await readFunction(kc, ns, fn));
  const doc: TrafficDoc | null = trafficDocOf(f.service);
  const plan = parseCanaryPlan(safeJson(rolloutTextOf(f.service)));
  const base = { name: fn, namespace: ns, rolloutPlan: plan ? planOf(plan) : null };
  if (!doc) {
    return { ...base, via: 'direct', gatewayReason: null, weights: f.serving ? [{ revision: f.serving, percent: 100 }] : [], tags: [], canary: null };
  }
  let weights: Weight[] = doc.weights;
  let canary: CanaryStatus | null = null;
  let live: GatewayStatusDoc['functions'][string] | undefined;
  if (doc.via === 'gateway' || doc.canary) {
    const statuses = await readGatewayStatus(kc, ns, signal).catch(() => []);
    live = statuses.find((s) => !s.status.terminating && s.status.functions[fn])?.status.functions[fn];
  }
  if (doc.canary) {
    const c = doc.canary;
    let p: CanaryProgress | null = live?.canary?.id === c.id ? live.canary : null;
    p ??= await keptProgress(kc, ns, fn).then((k) => (k?.id === c.id ? k : null));
    p ??= estimatedProgress(c);
    canary = canaryStatus(c, p, live?.canary?.id === c.id ? live.canary.window : null);
    weights = effectiveWeights(doc.weights, c, p.phase, p.step);
  } else {
    if (live) weights = live.weights;
    // A settled canary: how it ended stays visible.
    const last = CanaryStatus.safeParse(safeJson(lastCanaryTextOf(f.service)));
    if (last.success) canary = last.data;
  }
  const scales = new Map(f.revisions.map((r) => [r.number, scaleOf(r)]));
  return { ...base, via: doc.via, gatewayReason: doc.via === 'gateway' ? gatewayNeed(doc, scales) : null, weights, tags: doc.tags, canary };
}

/** The namespace gateway's state for the UI. */
export async function readGatewayInfo(kc: KubeConfig, ns: string, image: string): Promise<GatewayInfo> {
  const wantedVersion = gatewayVersion(image);
  const { deployment, pods } = await readGateway(kc, ns);
  if (!deployment) return { namespace: ns, state: 'absent', version: null, wantedVersion, pods: [], functions: [], reason: null };
  const views = pods
    .filter((p) => !p.metadata?.deletionTimestamp)
    .map((p) => {
      const s = podStateOf(p, GATEWAY_CONTAINER);
      const restarts = p.status?.containerStatuses?.find((c) => c.name === GATEWAY_CONTAINER)?.restartCount ?? 0;
      return { name: s.name, ready: s.ready, version: p.metadata?.annotations?.[GATEWAY_ANNOTATIONS.version] ?? null, restarts, reason: s.phase === 'failed' ? s.reason : s.ready ? null : `Pod is ${s.phase}` };
    });
  const statuses = await readGatewayStatus(kc, ns).catch(() => []);
  const functions = [...new Set(statuses.flatMap((s) => Object.keys(s.status.functions)))].sort();
  const running = deployment.metadata?.annotations?.[GATEWAY_ANNOTATIONS.version] ?? null;
  const readyPods = views.filter((v) => v.ready);
  const failed = views.find((v) => v.reason && !v.reason.startsWith('Pod is'));
  const upgrading = views.some((v) => v.version !== running) || (running !== null && running !== wantedVersion);
  const state: GatewayInfo['state'] = failed && !readyPods.length ? 'failed' : !readyPods.length ? 'starting' : upgrading ? 'upgrading' : 'ready';
  const reason = failed?.reason ?? (running !== wantedVersion ? `Version ${running} runs; this Funcdeck brings ${wantedVersion}, installed the next time traffic or scale settings change.` : null);
  return { namespace: ns, state, version: readyPods[0]?.version ?? running, wantedVersion, pods: views, functions, reason };
}

function safeJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
