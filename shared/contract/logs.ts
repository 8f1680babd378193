import { z } from 'zod';
import { call, stream } from './define';
import { FunctionName } from './functions';

export const LOGS_DEFAULT_TAIL = 200;
export const LOGS_MAX_TAIL = 5000;
export const LOGS_QUERY_MAX = 10_000;

/** One line of a function's output, as followed from the pod log API and kept in the local store. */
export const LogLine = z.object({
  /** The kubelet's timestamp (RFC3339Nano, from timestamps=true). */
  ts: z.string(),
  pod: z.string(),
  /** From the pod's funcdeck.dev/revision label; null when the pod has none. */
  revision: z.string().nullable(),
  container: z.string(),
  /** From the `[req <id>] ` prefix the runtime writes; null for lines outside a call. */
  requestId: z.string().nullable(),
  /** The line without its timestamp (the `[req <id>] ` prefix is kept). */
  text: z.string(),
  /** The local store's sequence number for this function: increasing, unique, a stable key for UI rows. */
  seq: z.number().int(),
});
export type LogLine = z.infer<typeof LogLine>;

/** Which pods a follow is reading, pushed whenever that changes. */
export const LogPodState = z.object({
  pod: z.string(),
  revision: z.string().nullable(),
  /** following: connected; reconnecting: stream lost, resuming from the last line; waiting: pod not started yet; ended: pod gone or terminated. */
  state: z.enum(['following', 'reconnecting', 'waiting', 'ended']),
  /** Why it is reconnecting or waiting (e.g. "ContainerCreating"). */
  reason: z.string().nullable(),
});
export type LogPodState = z.infer<typeof LogPodState>;

export const LogFollowStatus = z.object({
  pods: z.array(LogPodState),
  /** The pod watch itself is re-establishing (pods may come or go unseen until it is back). */
  reconnecting: z.boolean(),
  /** A sentence for the UI when nothing is followed, e.g. "No pods of hello are running; lines will appear when one starts." */
  message: z.string().nullable(),
  /**
   * Set while no line came because the cluster does not answer (the API server is frozen, restarting
   * or unreachable: the same outage as clusters.watch's `health`), noticed within ~10 s even though
   * the streams still look connected; null again once it answers or lines flow. `since` is when it
   * stopped answering (ISO): the UI can say "stalled for N s". The pods keep their own states.
   */
  stalled: z.object({ since: z.string(), reason: z.string() }).nullable().optional(),
});
export type LogFollowStatus = z.infer<typeof LogFollowStatus>;

export const LogsFollowParams = z.object({
  function: FunctionName,
  /** Lines from the history of each running pod sent first, merged (and the store's newest lines when no pod runs). */
  tailLines: z.number().int().min(0).max(LOGS_MAX_TAIL).default(LOGS_DEFAULT_TAIL),
  /** Only pods of this revision. */
  revision: z.string().max(63).optional(),
});

/**
 * A batch of lines, in timestamp order across pods (sent at once while lines are few, at most ~10 batches a second under load). `dropped` counts
 * lines this feed skipped because the UI fell behind since the previous batch; the local store
 * still has them (logs.query). `status` is present when the followed pods changed.
 */
export const LogsBatch = z.object({
  lines: z.array(LogLine),
  dropped: z.number().int().min(0).optional(),
  status: LogFollowStatus.optional(),
});
export type LogsBatch = z.infer<typeof LogsBatch>;

export const LogsQueryParams = z.object({
  function: FunctionName,
  /** Case-insensitive substring of the text. */
  text: z.string().max(1000).optional(),
  pod: z.string().max(253).optional(),
  revision: z.string().max(63).optional(),
  requestId: z.string().max(64).optional(),
  /** Only lines with seq below this (to page backwards). */
  beforeSeq: z.number().int().optional(),
  limit: z.number().int().min(1).max(LOGS_QUERY_MAX).default(1000),
});

export const LogsQueryResult = z.object({
  /** The newest `limit` matching lines, oldest first. */
  lines: z.array(LogLine),
  /** More matching lines exist before the first one returned. */
  more: z.boolean(),
});
export type LogsQueryResult = z.infer<typeof LogsQueryResult>;

export const logsCalls = {
  /** Reads the local store: lines stay readable after the pods (or the function) are gone. */
  'logs.query': call(LogsQueryParams, LogsQueryResult),
  /** Deletes a function's stored lines in the selected context and namespace. */
  'logs.clear': call(z.object({ function: FunctionName }), z.object({ cleared: z.boolean() })),
};
export const logsStreams = {
  /** Follows every pod of a function as pods come and go; every line is also stored locally. */
  'logs.follow': stream(LogsFollowParams, LogsBatch),
};
