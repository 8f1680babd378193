import type { KubeConfig, V1CronJob, V1Job, V1Pod } from '@kubernetes/client-node';
import type { CronRun, CronStatus } from '../../../shared/contract/cron';
import { collections, lastLogLines, listObjects } from '../deploy/kube-ops';
import { cronJobName, functionSelector } from '../deploy/names';
import { readOwned } from '../deploy/owned-writes';
import { MANUAL_RUN_ANNOTATION } from './run-now';

const CALLER_CONTAINER = 'call';
/** The caller's log line for an answer (cron/manifest.ts): "cron call to <url>: HTTP 200 in 12 ms: <body>". */
const ANSWER_LINE = /^cron call to \S+: (HTTP (\d{3}) in \d+ ms: .*)$/;
const FAILED_LINE = /^cron call to \S+ (failed .*)$/;

const iso = (v: unknown): string | null => (v ? new Date(String(v)).toISOString() : null);

/** The answer line of a run's log, and the HTTP status it names. */
export function answerFromLog(lines: string[]): { answer: string | null; httpStatus: number | null } {
  for (let i = lines.length - 1; i >= 0; i--) {
    const ok = ANSWER_LINE.exec(lines[i]!);
    if (ok) return { answer: ok[1]!, httpStatus: Number(ok[2]) };
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const failed = FAILED_LINE.exec(lines[i]!);
    if (failed) return { answer: failed[1]!, httpStatus: null };
  }
  return { answer: null, httpStatus: null };
}

/** One Job of the trigger as a run: its state and times from the Job's status. */
export function runOfJob(job: V1Job): Omit<CronRun, 'answer' | 'httpStatus'> {
  const st = job.status ?? {};
  const failedCond = st.conditions?.find((c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True');
  const state: CronRun['state'] = (st.succeeded ?? 0) > 0 ? 'succeeded' : failedCond || (st.failed ?? 0) > 0 ? 'failed' : (st.active ?? 0) > 0 ? 'running' : 'pending';
  const startedAt = iso(st.startTime ?? job.metadata?.creationTimestamp);
  const finishedAt = iso(st.completionTime ?? (state === 'failed' ? failedCond?.lastTransitionTime : undefined));
  return {
    name: job.metadata?.name ?? '',
    manual: job.metadata?.annotations?.[MANUAL_RUN_ANNOTATION] === 'manual',
    state,
    startedAt,
    finishedAt,
    durationMs: startedAt && finishedAt ? Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) : null,
    reason: failedCond ? [failedCond.reason, failedCond.message].filter(Boolean).join(': ') || null : null,
  };
}

const jobOfPod = (p: V1Pod) => p.metadata?.labels?.['batch.kubernetes.io/job-name'] ?? p.metadata?.labels?.['job-name'];

/** The function's deployed cron trigger and its newest `limit` runs, each with its answer line. */
export async function cronStatus(kc: KubeConfig, namespace: string, fn: string, limit: number): Promise<CronStatus> {
  const c = collections(namespace);
  const selector = functionSelector(fn);
  const [found, jobs, pods] = await Promise.all([
    readOwned<V1CronJob>(kc, 'CronJob', namespace, cronJobName(fn), fn),
    listObjects<V1Job>(kc, c.jobs, selector),
    listObjects<V1Pod>(kc, c.pods, selector),
  ]);
  const cron = found.state === 'ours' ? found.obj : null;
  const runs = jobs
    .filter((j) => j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === cronJobName(fn)))
    .sort((a, b) => Date.parse(String(b.metadata?.creationTimestamp ?? 0)) - Date.parse(String(a.metadata?.creationTimestamp ?? 0)))
    .slice(0, limit);
  const podOf = new Map<string, V1Pod>();
  for (const p of pods) {
    const job = jobOfPod(p);
    const prev = job ? podOf.get(job) : undefined;
    if (job && (!prev || Date.parse(String(p.metadata?.creationTimestamp)) > Date.parse(String(prev.metadata?.creationTimestamp)))) podOf.set(job, p);
  }
  return {
    deployed: cron
      ? {
          schedule: cron.spec?.schedule ?? '',
          suspended: cron.spec?.suspend === true,
          lastScheduleTime: iso(cron.status?.lastScheduleTime),
          lastSuccessfulTime: iso(cron.status?.lastSuccessfulTime),
        }
      : null,
    runs: await Promise.all(
      runs.map(async (job) => {
        const run = runOfJob(job);
        const pod = podOf.get(run.name);
        const started = pod?.status?.containerStatuses?.some((s) => s.state?.running || s.state?.terminated);
        const lines = pod && started ? await lastLogLines(kc, namespace, pod.metadata!.name!, CALLER_CONTAINER, false, 20) : [];
        return { ...run, ...answerFromLog(lines) };
      }),
    ),
  };
}
