import type { V1CronJob, V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import type { FunctionStatus, FunctionSummary, Language } from '../../../shared/contract/functions';
import type { RevisionInfo, RevisionStatus } from '../../../shared/contract/revisions';
import { ANNOTATIONS, LABELS } from '../../../shared/contract/runtime-protocol';
import { RuntimeId } from '../../../shared/contract/settings';
import { podState } from '../deploy/pod-status';
import { FD_ANNOTATIONS, revisionOf } from '../deploy/names';
import { servingRevisionOf } from '../deploy/revision-state';
import { trafficShares } from '../gateway/traffic-state';

/** The objects of a namespace (or one function) that function and revision status are read from. */
export interface ClusterView {
  deployments: V1Deployment[];
  pods: V1Pod[];
  services: V1Service[];
  cronjobs: V1CronJob[];
}

const fnOf = (o: { metadata?: { labels?: Record<string, string> } }) => o.metadata?.labels?.[LABELS.function] ?? '';

interface RevisionView {
  number: number;
  deployment: V1Deployment;
  pods: V1Pod[];
  desired: number;
  ready: number;
  status: RevisionStatus;
  reason: string | null;
}

function revisionView(d: V1Deployment, pods: V1Pod[]): RevisionView {
  const number = revisionOf(d) ?? 0;
  const mine = pods.filter((p) => revisionOf(p) === number && !p.metadata?.deletionTimestamp);
  const desired = d.spec?.replicas ?? 0;
  const states = mine.map(podState);
  const ready = states.filter((s) => s.ready).length;
  const failed = states.find((s) => s.phase === 'failed');
  let status: RevisionStatus;
  let reason: string | null = null;
  if (failed) {
    status = 'Failed';
    reason = failed.reason;
  } else if (desired === 0) {
    status = 'Idle';
  } else if (ready >= desired) {
    status = 'Ready';
  } else if (states.some((s) => s.phase === 'building')) {
    status = 'Building';
    reason = 'Installing dependencies';
  } else {
    status = 'Deploying';
    reason = states.some((s) => s.phase === 'scheduling') ? 'Waiting for a node' : states.some((s) => s.phase === 'pulling') ? 'Pulling the runtime image' : `${ready}/${desired} pod(s) ready`;
  }
  return { number, deployment: d, pods: mine, desired, ready, status, reason };
}

export function revisionsOf(fn: string, view: ClusterView): RevisionInfo[] {
  const service = view.services.find((s) => s.metadata?.name === fn && fnOf(s) === fn);
  const serving = servingRevisionOf(service);
  const shares = trafficShares(service, serving);
  return view.deployments
    .filter((d) => fnOf(d) === fn && revisionOf(d))
    .map((d) => revisionView(d, view.pods.filter((p) => fnOf(p) === fn)))
    .sort((a, b) => b.number - a.number)
    .map((r) => ({
      number: r.number,
      created: r.deployment.metadata?.annotations?.[FD_ANNOTATIONS.created] ?? null,
      checksum: r.deployment.metadata?.annotations?.[ANNOTATIONS.checksum] ?? '',
      image: r.deployment.metadata?.annotations?.[FD_ANNOTATIONS.image] ?? r.deployment.spec?.template?.spec?.containers?.[0]?.image ?? '',
      ready: r.ready,
      desired: r.desired,
      trafficPercent: shares.get(r.number) ?? 0,
      serving: r.number === serving,
      status: r.status,
      reason: r.reason,
    }));
}

/**
 * One summary per function: the status of the revision that matters (the newest while it rolls out,
 * else the serving one), with the reason in words when it is not Ready.
 */
export function summarize(view: ClusterView): FunctionSummary[] {
  const names = new Set([...view.deployments.map(fnOf), ...view.services.map(fnOf)].filter(Boolean));
  const out: FunctionSummary[] = [];
  for (const fn of [...names].sort()) {
    const service = view.services.find((s) => s.metadata?.name === fn && fnOf(s) === fn);
    const serving = servingRevisionOf(service);
    const revs = view.deployments
      .filter((d) => fnOf(d) === fn && revisionOf(d))
      .map((d) => revisionView(d, view.pods.filter((p) => fnOf(p) === fn)))
      .sort((a, b) => b.number - a.number);
    const latest = revs[0];
    const servingRev = revs.find((r) => r.number === serving) ?? null;
    // A newer revision matters while it rolls out. Once it is Ready the engine moves traffic at once,
    // so a Ready newer revision that does not serve was rolled back from: the serving one speaks.
    const rollingOut = latest && latest.number !== serving && latest.desired > 0 && !(latest.status === 'Ready' && servingRev);
    const focus = rollingOut ? latest : (servingRev ?? latest);
    const runtime = RuntimeId.safeParse(latest?.deployment.metadata?.labels?.[LABELS.runtime]);
    const lang = latest?.deployment.metadata?.annotations?.[FD_ANNOTATIONS.language] as Language | undefined;
    let status: FunctionStatus = 'Unknown';
    let reason: string | null = focus ? null : 'No revision found: the function has a Service but no Deployment. Deploy it again.';
    if (focus) {
      if (focus.status === 'Failed') {
        status = 'Failed';
        reason = `Revision ${focus.number}: ${focus.reason}` + (servingRev && servingRev !== focus && servingRev.status === 'Ready' ? ` Revision ${servingRev.number} still serves.` : '');
      } else if (focus.status === 'Idle') {
        status = 'ScaledToZero';
        reason = 'No pods run for the serving revision.';
      } else if (focus.status === 'Ready') {
        status = focus === servingRev ? 'Ready' : 'Deploying';
        reason = focus === servingRev ? null : `Revision ${focus.number} is ready; moving traffic to it`;
      } else {
        status = focus.status;
        reason = `Revision ${focus.number}: ${focus.reason}`;
      }
    }
    const cron = view.cronjobs.find((c) => fnOf(c) === fn);
    out.push({
      name: fn,
      runtime: runtime.success ? runtime.data : 'nodejs',
      language: lang === 'typescript' || lang === 'javascript' || lang === 'python' ? lang : runtime.data === 'python' ? 'python' : 'javascript',
      status,
      reason,
      replicas: { ready: servingRev?.ready ?? 0, desired: servingRev?.desired ?? 0 },
      latestRevision: latest?.number ?? null,
      servingRevision: serving,
      updated: latest?.deployment.metadata?.annotations?.[FD_ANNOTATIONS.created] ?? null,
      cron: cron ? { schedule: cron.spec?.schedule ?? '', lastRun: (cron.status?.lastScheduleTime as unknown as string | undefined) ?? null } : null,
    });
  }
  return out;
}
