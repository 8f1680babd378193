import { z } from 'zod';
import { call } from './define';
import { FunctionName } from './functions';

/**
 * A function's cron trigger as it runs in the cluster: run it now, and read its last runs. The
 * trigger itself (schedule, payload, enabled) is part of the function spec and deployed with it.
 */

/** Each run of a cron trigger calls the function with a CloudEvent (binary mode) of this type and source. */
export const CRON_TICK_TYPE = 'dev.funcdeck.cron.tick';
export const cronTickSource = (namespace: string, fn: string) => `/namespaces/${namespace}/cronjobs/${fn}-cron`;

/** Runs listed at most (the cluster keeps few: the last successful and failed ones, and manual ones for an hour). */
export const CRON_RUNS_MAX = 20;

export const CronRun = z.object({
  /** The Job's name. */
  name: z.string(),
  /** Started by "Run now" rather than by the schedule. */
  manual: z.boolean(),
  state: z.enum(['pending', 'running', 'succeeded', 'failed']),
  /** ISO times. */
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().min(0).nullable(),
  /** The function's HTTP status, from the run's log. */
  httpStatus: z.number().int().nullable(),
  /** The answer line from the run's log, e.g. "HTTP 200 in 12 ms: {"ok":true}", or why the call failed. */
  answer: z.string().nullable(),
  /** Why a run failed when its log does not say (e.g. the Job's DeadlineExceeded). */
  reason: z.string().nullable(),
});
export type CronRun = z.infer<typeof CronRun>;

export const CronStatus = z.object({
  /** The CronJob in the cluster, or null when none is deployed (no trigger in the deployed spec). */
  deployed: z
    .object({
      schedule: z.string(),
      suspended: z.boolean(),
      lastScheduleTime: z.string().nullable(),
      lastSuccessfulTime: z.string().nullable(),
    })
    .nullable(),
  /** Newest first. */
  runs: z.array(CronRun),
});
export type CronStatus = z.infer<typeof CronStatus>;

const FunctionRef = z.object({ function: FunctionName });

export const cronCalls = {
  /** The deployed trigger and its last runs (with each run's answer line read from its log). */
  'cron.status': call(FunctionRef.extend({ limit: z.number().int().min(1).max(CRON_RUNS_MAX).default(10) }), CronStatus),
  /**
   * Runs the deployed trigger now: a Job from the CronJob's template, labelled as Funcdeck's, as
   * `kubectl create job --from=cronjob/<name>` makes. NOT_FOUND when no trigger is deployed.
   */
  'cron.runNow': call(FunctionRef, z.object({ job: z.string() })),
};
export const cronStreams = {};
