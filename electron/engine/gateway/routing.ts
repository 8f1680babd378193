import type { KubeConfig, V1Pod, V1Service } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { collections, listObjects } from '../deploy/kube-ops';
import { objectMetadataOf } from '../deploy/extras';
import { functionService } from '../deploy/manifests';
import { FD_ANNOTATIONS, functionSelector, MANAGED_SELECTOR, revisionOf } from '../deploy/names';
import { applyOwned, scaleOwned } from '../deploy/owned-writes';
import { GATEWAY_OWNER, isOurs, notOwnedError } from '../deploy/ownership';
import { podState } from '../deploy/pod-status';
import { readFunction, type FunctionObjects } from '../deploy/revision-state';
import { waitForRevision } from '../deploy/rollout';
import type { KeyedLock } from '../deploy/lock';
import { ensureGateway } from './install';
import { routerSelector } from './manifests';
import { gatewayPort } from './shared/ports';
import { docHash, GATEWAY_ANNOTATIONS, parseScaleDoc, parseTrafficDoc, routedRevisions, serializeTrafficDoc, type CanaryDoc, type ScaleDoc, type Tag, type TrafficDoc, type Weight } from './shared/traffic-doc';
import { waitForRoutes } from './status';

/**
 * Moves a function's traffic: weights, tags and a canary, straight to one revision's pods when that
 * is all it needs, through the namespace gateway otherwise. Callers hold the function's deploy lock.
 */
export interface Desired {
  weights: Weight[];
  tags: Tag[];
  canary: CanaryDoc | null;
}

export interface RoutingTarget {
  kc: KubeConfig;
  namespace: string;
  context: string;
  /** The Node runtime image of the context: the gateway runs on it. */
  image: string;
  signal: AbortSignal;
  /** Serialises gateway installs of one namespace (keyed by context and namespace). */
  gatewayLock: KeyedLock;
}

export const trafficDocOf = (svc: V1Service | null | undefined): TrafficDoc | null => parseTrafficDoc(svc?.metadata?.annotations?.[GATEWAY_ANNOTATIONS.traffic]);
export const rolloutTextOf = (svc: V1Service | null | undefined): string | null => svc?.metadata?.annotations?.[GATEWAY_ANNOTATIONS.rollout] ?? null;
export const lastCanaryTextOf = (svc: V1Service | null | undefined): string | null => svc?.metadata?.annotations?.[GATEWAY_ANNOTATIONS.lastCanary] ?? null;

/** Changes to the Service's other annotations that go with a traffic change (undefined keeps what is there). */
export interface RouteExtras {
  rollout?: string | null;
  lastCanary?: string | null;
}

export function scaleOf(rev: FunctionObjects['revisions'][number]): ScaleDoc {
  const a = rev.deployment.metadata?.annotations ?? {};
  return parseScaleDoc(a[GATEWAY_ANNOTATIONS.scale], Number(a[FD_ANNOTATIONS.replicas] ?? rev.deployment.spec?.replicas ?? 1) || 1);
}

/** Why the function needs the gateway in its path, in words; null when its Service can point at one revision. */
export function gatewayNeed(d: Desired, scales: Map<number, ScaleDoc>): string | null {
  if (d.canary) return `revision ${d.canary.to} rolls out as a canary`;
  const weighted = d.weights.filter((w) => w.percent > 0);
  if (weighted.length > 1) return `traffic is split: ${weighted.map((w) => `${w.percent}% to revision ${w.revision}`).join(', ')}`;
  if (d.tags.length) return `tag${d.tags.length > 1 ? 's' : ''} ${d.tags.map((t) => `"${t.name}"`).join(', ')}`;
  for (const r of routedRevisions(d)) {
    const s = scales.get(r);
    if (s && s.min === 0) return `revision ${r} scales to zero when idle`;
    if (s && s.max > s.min) return `revision ${r} autoscales between ${s.min} and ${s.max} pods`;
  }
  return null;
}

/** The revision with the most traffic (the newer on a tie): the function's "serving" revision. */
export function servingOf(d: Desired): number {
  if (d.canary) return d.canary.from;
  return [...d.weights].sort((a, b) => b.percent - a.percent || b.revision - a.revision)[0]!.revision;
}

const field = (path: string, message: string) => new FuncdeckError('BAD_REQUEST', `${path}: ${message}`, { issues: [{ path, message }] });

/** Every revision named must exist and must not be failing; the error names the field. */
function checkRevisions(fn: string, d: Desired, objs: FunctionObjects, pods: V1Pod[]): void {
  const have = new Map(objs.revisions.map((r) => [r.number, r]));
  const names = objs.revisions.map((r) => r.number).sort((a, b) => a - b).join(', ') || 'none';
  const refs: Array<[string, number, boolean]> = [
    ...d.weights.map((w, i): [string, number, boolean] => [`weights.${i}.revision`, w.revision, w.percent > 0]),
    ...d.tags.map((t, i): [string, number, boolean] => [`tags.${i}.revision`, t.revision, true]),
  ];
  if (d.canary) refs.push(['revision', d.canary.to, true], ['revision', d.canary.from, true]);
  for (const [path, n, routed] of refs) {
    if (!have.has(n)) throw field(path, `Revision ${n} of ${fn} does not exist; its revisions are ${names}.`);
    if (!routed) continue;
    const mine = pods.filter((p) => revisionOf(p) === n && !p.metadata?.deletionTimestamp).map(podState);
    const failed = mine.find((s) => s.phase === 'failed');
    if (failed && !mine.some((s) => s.ready)) throw field(path, `Revision ${n} cannot take traffic: ${failed.reason}`);
  }
}

/**
 * Starts the routed revisions that must run (min 1 or more, or the one a direct Service points at)
 * and waits until they are ready; revisions that may scale to zero are left to the gateway.
 */
async function bringUp(t: RoutingTarget, fn: string, routed: Set<number>, objs: FunctionObjects, direct: boolean): Promise<void> {
  await Promise.all(
    objs.revisions
      .filter((r) => routed.has(r.number))
      .map(async (r) => {
        const want = direct ? Math.max(1, scaleOf(r).min) : scaleOf(r).min;
        if (want === 0) return;
        // Already running with enough ready pods (the usual case when only weights change): nothing to wait for.
        if ((r.deployment.spec?.replicas ?? 0) >= want && (r.deployment.status?.readyReplicas ?? 0) >= want) return;
        if ((r.deployment.spec?.replicas ?? 0) < want) await scaleOwned(t.kc, fn, r.deployment, want);
        const outcome = await waitForRevision({ kc: t.kc, namespace: t.namespace, fn, revision: r.number, replicas: want, signal: t.signal, timeoutMs: 180_000 });
        if (!outcome.ok) {
          throw new FuncdeckError('DEPLOY_FAILED', `Revision ${r.number} did not become ready, so traffic stays where it was: ${outcome.reason}`, { revision: r.number, reason: outcome.reason, lastLogLines: outcome.lastLogLines });
        }
      }),
  );
}

/** Ports other functions of the namespace have on the gateway. */
async function usedPorts(kc: KubeConfig, ns: string, fn: string): Promise<number[]> {
  const svcs = await listObjects<V1Service>(kc, collections(ns).services, MANAGED_SELECTOR);
  return svcs.filter((s) => s.metadata?.name !== fn).flatMap((s) => trafficDocOf(s)?.port ?? []);
}

/** Waits until the Service's endpoints are the gateway's pods only (the API server's proxy picks from them). */
async function waitForGatewayEndpoints(kc: KubeConfig, ns: string, fn: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [slices, pods] = await Promise.all([
      listObjects<{ endpoints?: Array<{ targetRef?: { name?: string; kind?: string } }> }>(kc, collections(ns).endpointslices, `kubernetes.io/service-name=${fn}`).catch(() => null),
      listObjects<V1Pod>(kc, collections(ns).pods, routerSelector()),
    ]);
    if (!slices) return; // not allowed to read endpoints: the gateway serves whatever arrives either way
    const gw = new Set(pods.filter((p) => isOurs(p, GATEWAY_OWNER)).map((p) => p.metadata?.name));
    const eps = slices.flatMap((s) => s.endpoints ?? []);
    if (eps.length && eps.every((e) => e.targetRef?.kind === 'Pod' && gw.has(e.targetRef.name))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Makes the function's traffic what `d` says. Refuses (naming the field) a revision that does not
 * exist or is failing; starts routed revisions and waits for them; then either points the Service
 * at the one serving revision, or (installing the gateway first when needed) writes the traffic doc,
 * waits until every ready gateway pod serves it, and points the Service at the gateway. Returns
 * once calls follow the new routes. `extras` replaces the rollout plan and the last canary's outcome
 * (undefined keeps them; a new canary clears the last one's).
 */
export async function applyTraffic(t: RoutingTarget, fn: string, d: Desired, extras: RouteExtras = {}): Promise<{ doc: TrafficDoc | null; need: string | null }> {
  const [objs, pods] = await Promise.all([readFunction(t.kc, t.namespace, fn), listObjects<V1Pod>(t.kc, collections(t.namespace).pods, functionSelector(fn))]);
  if (objs.foreignService) throw notOwnedError(`route traffic of "${fn}"`, fn, [objs.foreignService]);
  if (!objs.service) throw new FuncdeckError('NOT_FOUND', `Function "${fn}" has no Service in namespace "${t.namespace}" yet; deploy it first.`);
  checkRevisions(fn, d, objs, pods);
  const scales = new Map(objs.revisions.map((r) => [r.number, scaleOf(r)]));
  const need = gatewayNeed(d, scales);
  const current = trafficDocOf(objs.service);
  const plan = extras.rollout === undefined ? rolloutTextOf(objs.service) : extras.rollout;
  const lastCanary = d.canary ? null : extras.lastCanary === undefined ? lastCanaryTextOf(objs.service) : extras.lastCanary;
  const serving = servingOf(d);
  // The Service carries the serving revision's labels and annotations (its spec's), as deploys write it.
  const metaOf = (n: number | null) => objectMetadataOf(objs.revisions.find((r) => r.number === n)?.deployment);
  await bringUp(t, fn, routedRevisions(d), objs, need === null);

  if (need === null && !current) {
    await applyOwned(t.kc, functionService(t.namespace, fn, serving, metaOf(serving), { doc: null, rollout: plan, lastCanary }));
    return { doc: null, need };
  }
  // A function that has used the gateway keeps its doc (via "direct" when it needs the gateway no more),
  // so calls that still reach the gateway from before the change are served the same way.
  if (need !== null) await t.gatewayLock.run(`${t.context}\u0000${t.namespace}`, () => ensureGateway({ kc: t.kc, namespace: t.namespace, image: t.image, signal: t.signal }));
  const port = current?.port ?? gatewayPort(fn, await usedPorts(t.kc, t.namespace, fn));
  const doc: TrafficDoc = { v: 1, via: need === null ? 'direct' : 'gateway', port, weights: d.weights, tags: d.tags, canary: d.canary };
  const hash = docHash(serializeTrafficDoc(doc));
  const wasViaGateway = current?.via === 'gateway';
  if (need !== null && !wasViaGateway) {
    // The gateway learns the routes before any call is sent to it.
    await applyOwned(t.kc, functionService(t.namespace, fn, objs.serving ?? serving, metaOf(objs.serving ?? serving), { doc: { ...doc, via: 'direct' }, rollout: plan, lastCanary }));
    await waitForRoutes(t.kc, t.namespace, fn, docHash(serializeTrafficDoc({ ...doc, via: 'direct' })), 15_000, t.signal);
  }
  await applyOwned(t.kc, functionService(t.namespace, fn, serving, metaOf(serving), { doc, rollout: plan, lastCanary }));
  if (need !== null) {
    await waitForRoutes(t.kc, t.namespace, fn, hash, 15_000, t.signal);
    if (!wasViaGateway) await waitForGatewayEndpoints(t.kc, t.namespace, fn);
  }
  return { doc, need };
}
