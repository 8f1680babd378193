import { pluralWord } from '../../../shared/plural';
import type { V1CronJob, V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import type { FunctionStatus, FunctionSummary, Language, ServingTransition, TrafficShare } from '../../../shared/contract/functions';
import type { RevisionInfo, RevisionStatus, TextMatch } from '../../../shared/contract/revisions';
import { ANNOTATIONS, LABELS } from '../../../shared/contract/runtime-protocol';
import { RuntimeId } from '../../../shared/contract/settings';
import { FD_ANNOTATIONS, revisionOf } from '../deploy/names';
import { podState } from '../deploy/pod-status';
import { servingRevisionOf } from '../deploy/revision-state';
import { trafficShares } from '../gateway/traffic-state';

/**
 * The one model of what a function is and serves: which revisions exist, which get what share of
 * traffic, in what state, whether it was rolled back, which revisions failed and why. Pure: derived
 * from the cluster's objects (as the watches see them) plus what this engine saw before the cluster
 * says so. Every view (sidebar, editor header, status bar, revisions table, deploy panel) reads it.
 */

/** What the engine knows ahead of the cluster's status. */
export interface EngineKnowledge {
  /** The engine saw this pod answer /readyz itself; the kubelet's probe may not have said so yet. */
  verifiedReady(pod: V1Pod): boolean;
  /** The revision this engine is moving the function's traffic to right now (deploy or rollback). */
  transition(fn: string): ServingTransition | null;
  /** The revision this engine just routed all traffic to, and from which: a view still showing `from` is older than that. */
  routedTo(fn: string): { revision: number; from: number | null } | null;
}

export const NO_KNOWLEDGE: EngineKnowledge = { verifiedReady: () => false, transition: () => null, routedTo: () => null };

/** The objects of a namespace (or one function) that function and revision state are read from. */
export interface ClusterView {
  deployments: V1Deployment[];
  pods: V1Pod[];
  services: V1Service[];
  cronjobs: V1CronJob[];
}

export interface FunctionState {
  summary: FunctionSummary;
  /** Newest first, without settings/changes (those come from the revisions' ConfigMaps). */
  revisions: RevisionInfo[];
}

const fnOf = (o: { metadata?: { labels?: Record<string, string> } }) => o.metadata?.labels?.[LABELS.function] ?? '';

interface Rev {
  number: number;
  deployment: V1Deployment;
  desired: number;
  ready: number;
  status: RevisionStatus;
  reason: string | null;
  failedAt: string | null;
}

function revisionView(d: V1Deployment, pods: V1Pod[], known: EngineKnowledge, starting: boolean): Rev {
  const number = revisionOf(d) ?? 0;
  const mine = pods.filter((p) => revisionOf(p) === number && !p.metadata?.deletionTimestamp);
  const desired = d.spec?.replicas ?? 0;
  const states = mine.map((p) => ({ pod: p, s: podState(p) }));
  // The view may be older than what the engine saw (still "ContainerCreating"): a pod it verified counts unless it failed since.
  const ready = states.filter(({ pod, s }) => s.ready || (s.phase !== 'failed' && known.verifiedReady(pod))).length;
  const failedPod = states.find(({ s }) => s.phase === 'failed');
  const notes = d.metadata?.annotations ?? {};
  const recorded = notes[FD_ANNOTATIONS.failedReason] || null;
  const base = { number, deployment: d, desired, ready, failedAt: null as string | null };
  if (failedPod) return { ...base, status: 'Failed', reason: failedPod.s.reason, failedAt: notes[FD_ANNOTATIONS.failedAt] ?? null };
  // Running and ready now: an older failure on record no longer describes it.
  if (desired > 0 && ready >= desired) return { ...base, status: 'Ready', reason: null };
  // Scaled to zero (or not yet started again) after failing: it is still the revision that failed,
  // unless the engine is starting it again right now.
  if (recorded && !starting) return { ...base, status: 'Failed', reason: recorded, failedAt: notes[FD_ANNOTATIONS.failedAt] ?? null };
  if (desired === 0) return { ...base, status: 'Idle', reason: null };
  if (states.some(({ s }) => s.phase === 'building')) return { ...base, status: 'Building', reason: 'Installing dependencies' };
  const reason = states.some(({ s }) => s.phase === 'scheduling')
    ? 'Waiting for a node'
    : states.some(({ s }) => s.phase === 'pulling')
      ? 'Pulling the runtime image'
      : `${ready}/${desired} ${pluralWord(desired, 'pod')} ready`;
  return { ...base, status: 'Deploying', reason };
}

/**
 * Who gets traffic, largest share first: the traffic doc's weights (a split, a running canary's
 * step) from gateway/traffic-state.ts, else the one serving revision.
 */
export function trafficOf(service: V1Service | undefined, routed: { revision: number; from: number | null } | null = null): TrafficShare[] {
  const shown = servingRevisionOf(service);
  const serving = routed && shown === routed.from ? routed.revision : shown;
  if (serving !== shown) return serving ? [{ revision: serving, percent: 100 }] : [];
  return [...trafficShares(service, serving)]
    .filter(([, percent]) => percent > 0)
    .map(([revision, percent]) => ({ revision, percent }))
    .sort((a, b) => b.percent - a.percent || b.revision - a.revision);
}

function headlineOf(traffic: TrafficShare[], revs: Rev[], rolledBackFrom: number | null, transition: ServingTransition | null, newestFailed: Rev | null): string {
  if (!revs.length) return 'No revision';
  const byNumber = (n: number) => revs.find((r) => r.number === n);
  const primary = traffic[0] ? byNumber(traffic[0].revision) : undefined;
  let serving: string;
  if (!primary) serving = 'No revision serving';
  else if (traffic.length > 1) serving = `Revisions ${traffic.map((t) => `${t.revision} (${t.percent}%)`).join(', ')} serving`;
  else if (primary.status === 'Failed') serving = `Revision ${primary.number} failed`;
  else if (primary.status === 'Idle') serving = `Revision ${primary.number} scaled to zero`;
  // The first revision gets the Service at once: it serves only once it is ready.
  else if (primary.status !== 'Ready') return transition?.revision === primary.number ? `Revision ${primary.number} rolling out` : `Revision ${primary.number} starting`;
  else serving = `Revision ${primary.number} serving`;
  if (rolledBackFrom) serving += ` (rolled back from ${rolledBackFrom})`;
  const after: string[] = [];
  if (transition && transition.revision !== primary?.number) {
    after.push(transition.kind === 'rollback' ? `rolling back to revision ${transition.revision}` : `revision ${transition.revision} rolling out`);
  }
  if (newestFailed && newestFailed.number !== primary?.number) after.push(`revision ${newestFailed.number} failed`);
  return [serving, ...after].join('; ');
}

/** The state of one function, or null when the view holds none of its objects. */
export function functionState(fn: string, view: ClusterView, known: EngineKnowledge = NO_KNOWLEDGE): FunctionState | null {
  const service = view.services.find((s) => s.metadata?.name === fn && fnOf(s) === fn);
  const deployments = view.deployments.filter((d) => fnOf(d) === fn && revisionOf(d));
  if (!service && !deployments.length) return null;
  const pods = view.pods.filter((p) => fnOf(p) === fn);
  const knownTransition = known.transition(fn);
  const revs = deployments.map((d) => revisionView(d, pods, known, knownTransition?.revision === revisionOf(d))).sort((a, b) => b.number - a.number);
  const traffic = trafficOf(service, known.routedTo(fn));
  const serving = traffic[0]?.revision ?? null;
  const servingRevs = revs.filter((r) => traffic.some((t) => t.revision === r.number));
  const primary = revs.find((r) => r.number === serving) ?? null;
  const latest = revs[0] ?? null;

  // A change of serving revision under way: this engine's own deploy or rollback, else (another
  // client's deploy) a newer revision that runs but is neither ready nor failed.
  let transition = knownTransition;
  const target = transition ? revs.find((r) => r.number === transition!.revision) : undefined;
  // Over once it failed, or once it serves and is ready.
  if (!target || target.status === 'Failed' || (target.number === serving && target.status === 'Ready')) transition = null;
  if (!transition && latest && serving !== null && latest.number > serving && latest.desired > 0 && latest.status !== 'Ready' && latest.status !== 'Failed') {
    transition = { kind: 'deploy', revision: latest.number };
  }
  const moving = transition ? revs.find((r) => r.number === transition!.revision)! : null;

  // Newer revisions that do not serve either failed, are rolling out, or were rolled back from.
  const newer = serving === null ? [] : revs.filter((r) => r.number > serving);
  const rolledBack = moving?.number === latest?.number && transition?.kind === 'deploy' ? null : (newer.find((r) => r.status !== 'Failed' && r !== moving) ?? null);
  const rolledBackFrom = rolledBack?.number ?? null;
  const failedRevs = revs.filter((r) => r.status === 'Failed');
  const newestFailed = latest && latest.status === 'Failed' && latest.number !== serving ? latest : null;

  let status: FunctionStatus = 'Unknown';
  let reason: string | null = null;
  if (!latest) {
    reason = 'No revision found: the function has a Service but no Deployment. Deploy it again.';
  } else if (moving && moving !== primary) {
    status = moving.status === 'Building' ? 'Building' : 'Deploying';
    const what = transition!.kind === 'rollback' ? `Rolling back to revision ${moving.number}` : `Revision ${moving.number}`;
    reason = moving.status === 'Ready' ? `${what} is ready; moving traffic to it` : `${what}: ${moving.reason ?? 'starting'}`;
  } else if (newestFailed) {
    status = 'Failed';
    reason = `Revision ${newestFailed.number}: ${newestFailed.reason}` + (primary?.status === 'Ready' ? ` Revision ${primary.number} still serves.` : '');
  } else if (!primary) {
    // A revision without a Service routing to it (its first rollout, before the Service exists).
    status = latest.status === 'Failed' ? 'Failed' : latest.status === 'Building' ? 'Building' : 'Deploying';
    reason = `Revision ${latest.number}: ${latest.status === 'Ready' ? 'ready; no Service routes to it yet' : latest.reason}`;
  } else if (primary.status === 'Failed') {
    status = 'Failed';
    reason = `Revision ${primary.number}: ${primary.reason}`;
  } else if (primary.status === 'Idle') {
    status = 'ScaledToZero';
    reason = 'No pods run for the serving revision.';
  } else if (primary.status === 'Ready') {
    status = 'Ready';
  } else {
    status = primary.status;
    reason = `Revision ${primary.number}: ${primary.reason}`;
  }

  const runtime = RuntimeId.safeParse(latest?.deployment.metadata?.labels?.[LABELS.runtime]);
  const lang = latest?.deployment.metadata?.annotations?.[FD_ANNOTATIONS.language] as Language | undefined;
  const cron = view.cronjobs.find((c) => fnOf(c) === fn);
  const summary: FunctionSummary = {
    name: fn,
    runtime: runtime.success ? runtime.data : 'nodejs',
    language: lang === 'typescript' || lang === 'javascript' || lang === 'python' ? lang : runtime.data === 'python' ? 'python' : 'javascript',
    status,
    reason,
    replicas: { ready: servingRevs.reduce((n, r) => n + r.ready, 0), desired: servingRevs.reduce((n, r) => n + r.desired, 0) },
    latestRevision: latest?.number ?? null,
    servingRevision: serving,
    traffic,
    rolledBackFrom,
    transition,
    failedRevisions: failedRevs.map((r) => ({ revision: r.number, reason: r.reason ?? 'Failed.' })),
    headline: headlineOf(traffic, revs, rolledBackFrom, transition, newestFailed),
    updated: latest?.deployment.metadata?.annotations?.[FD_ANNOTATIONS.created] ?? null,
    cron: cron ? { schedule: cron.spec?.schedule ?? '', lastRun: (cron.status?.lastScheduleTime as unknown as string | undefined) ?? null } : null,
  };
  const revisions: RevisionInfo[] = revs.map((r) => ({
    number: r.number,
    created: r.deployment.metadata?.annotations?.[FD_ANNOTATIONS.created] ?? null,
    checksum: r.deployment.metadata?.annotations?.[ANNOTATIONS.checksum] ?? '',
    image: r.deployment.metadata?.annotations?.[FD_ANNOTATIONS.image] ?? r.deployment.spec?.template?.spec?.containers?.[0]?.image ?? '',
    ready: r.ready,
    desired: r.desired,
    trafficPercent: traffic.find((t) => t.revision === r.number)?.percent ?? 0,
    serving: traffic.some((t) => t.revision === r.number),
    status: r.status,
    reason: r.reason,
    failedAt: r.status === 'Failed' ? r.failedAt : null,
    rolledBackFrom: r.number === rolledBackFrom,
    settings: null,
    changes: null,
  }));
  return { summary, revisions };
}

/** Every function in the view, by name. */
export function functionStates(view: ClusterView, known: EngineKnowledge = NO_KNOWLEDGE): FunctionState[] {
  const names = new Set([...view.deployments.map(fnOf), ...view.services.map(fnOf)].filter(Boolean));
  return [...names]
    .sort()
    .map((fn) => functionState(fn, view, known))
    .filter((s): s is FunctionState => s !== null);
}

/** Which revision an editor's spec is (by the checksum a deploy would give it), and how it relates to the serving one. */
export function textRelation(checksum: string | null, state: FunctionState | null): TextMatch {
  const servingRevision = state?.summary.servingRevision ?? null;
  const match = checksum && state ? state.revisions.find((r) => r.checksum === checksum) : undefined;
  if (!match) return { checksum, revision: null, relation: 'draft', servingRevision };
  const relation = match.serving ? 'serving' : servingRevision !== null && match.number < servingRevision ? 'older' : 'newer';
  return { checksum, revision: match.number, relation, servingRevision };
}
