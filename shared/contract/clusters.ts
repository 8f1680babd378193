import { z } from 'zod';
import { call, stream } from './define';
import { ErrorShape } from './errors';

/** Which local cluster tool a context points at, guessed from its names and server. */
export const ClusterFlavor = z.enum(['kind', 'minikube', 'funcdeck-dev', 'other']);
export type ClusterFlavor = z.infer<typeof ClusterFlavor>;

export const KubeContext = z.object({
  name: z.string(),
  cluster: z.string(),
  user: z.string(),
  server: z.string().nullable(),
  namespace: z.string().nullable(),
  flavor: ClusterFlavor,
  /** The file the context was read from (the first file that defines it wins, as in kubectl). */
  file: z.string(),
});
export type KubeContext = z.infer<typeof KubeContext>;

export const KubeconfigProblem = z.object({ file: z.string(), message: z.string() });
export type KubeconfigProblem = z.infer<typeof KubeconfigProblem>;

/**
 * What the kubeconfig files say. Never an error: a missing or broken file is reported in
 * `problems` so the UI can explain it while still showing the contexts of the good files.
 */
export const KubeconfigState = z.object({
  /** Every file considered, in KUBECONFIG order (or ~/.kube/config). */
  files: z.array(z.string()),
  /** The files that exist and parsed. */
  loaded: z.array(z.string()),
  problems: z.array(KubeconfigProblem),
  contexts: z.array(KubeContext),
  /** current-context of the first file that sets one. */
  current: z.string().nullable(),
});
export type KubeconfigState = z.infer<typeof KubeconfigState>;

/** A Kubernetes object name that is a DNS-1123 label (namespaces, functions). */
export const DnsLabel = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lower-case letters, digits and "-", starting and ending with a letter or digit');

const ContextName = z.string().min(1).max(253);

/** The context and namespace the app works on: the app's own state (in its data folder), never the kubeconfig's current-context. */
export const ClusterSelection = z.object({
  context: z.string(),
  namespace: z.string(),
  flavor: ClusterFlavor,
});
export type ClusterSelection = z.infer<typeof ClusterSelection>;

/**
 * Which part of the path to a function did not answer, carried as `details.source` on errors of calls
 * that reach the cluster: the exec credential plugin, the network (no connection), the API server
 * (connected but no answer, or not ready), the function's pod (the API server's proxy could not reach
 * it: 502/503, no endpoints) or the function itself (it answered, or is slow to).
 */
export const FailureSource = z.enum(['credentials', 'network', 'api-server', 'pod', 'function']);
export type FailureSource = z.infer<typeof FailureSource>;

/** Whether a context's API server answers at all (any HTTP answer, 401/403 included, proves it). */
export const ReachabilityVerdict = z.enum(['reachable', 'unreachable', 'unknown']);
export type ReachabilityVerdict = z.infer<typeof ReachabilityVerdict>;

/**
 * One reachability check of a context, with a ~3 s deadline. The selected context (and any context
 * passed to `clusters.probe`) is checked with its credentials: GET /version as the user, so an exec
 * credential plugin runs for it. Every other context is checked without credentials (anonymous GET
 * /version; a 401/403 still proves the server answers), so no plugin runs for a context nobody chose.
 */
export const ProbeResult = z.object({
  context: z.string(),
  /**
   * The context can be used as it is: its API server answers and, when checked with credentials,
   * accepts them. For an anonymous check it is `verdict === 'reachable'`.
   */
  reachable: z.boolean(),
  /** e.g. "v1.34.1" */
  serverVersion: z.string().nullable(),
  latencyMs: z.number().nullable(),
  /** When the probe finished (ISO time). */
  checkedAt: z.string(),
  /**
   * Why it is not usable (CLUSTER_UNREACHABLE, UNAUTHORIZED, KUBECONFIG_INVALID, ...). With
   * `details.source === 'credentials'` the credential plugin failed while the server may be fine.
   */
  error: ErrorShape.optional(),
  /**
   * Does the API server answer, whatever the credentials: reachable, unreachable, or unknown (the
   * kubeconfig entry cannot be checked, e.g. no server URL or a TLS setup that fails; `error` says why).
   * Absent only in answers of older engines.
   */
  verdict: ReachabilityVerdict.optional(),
  /** How it was checked: with the context's credentials, or anonymously (not selected; or its credentials failed). */
  checkedWith: z.enum(['credentials', 'anonymous']).optional(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/**
 * The selected context's health as the engine sees it right now, fed by every call and stream it
 * makes (an answer of any status = the API server answers; a refused, reset or silent request = it
 * does not) and by its own checks: an anonymous GET /readyz about every 3 s while anything watches
 * the cluster, about every second while it is down or degraded. So it follows reality within ~2 s
 * of a failed call, and a silent stall is noticed within ~6 s.
 *
 * For the UI: while `state` is `down`, every stream of this context is stalled or reconnecting;
 * show "reconnecting for N s" counting from `since`, keep the workbench, and drop the banner when it
 * is `up` again (the engine's streams resume by themselves). The problem screen is for a context
 * whose probe says it cannot be used at all.
 */
export const ClusterHealth = z.object({
  context: z.string(),
  /**
   * up: the API server answers; degraded: it answers but reports not ready (/readyz fails, e.g. etcd);
   * down: calls and checks get no answer; unknown: nothing tried yet.
   */
  state: z.enum(['up', 'degraded', 'down', 'unknown']),
  /** When `state` began (ISO). While down: the first failure after the last answer. */
  since: z.string(),
  /** While down or degraded: the network (no connection: refused, no route, DNS) or the API server (connected, no answer or not ready). */
  cause: z.enum(['network', 'api-server']).nullable(),
  /** While down or degraded: what failed, in words. */
  error: ErrorShape.nullable(),
  /** The last time the API server answered anything (ISO), null if never. */
  lastAnswerAt: z.string().nullable(),
  /** The exec credential plugin's last outcome for this context; null when the user has no plugin or it has not run yet. */
  credentials: z.object({ ok: z.boolean(), error: ErrorShape.nullable() }).nullable(),
});
export type ClusterHealth = z.infer<typeof ClusterHealth>;

/**
 * What `clusters.watch` pushes: the whole picture each time (kubeconfig files re-read after a change,
 * a probe finished, the selection changed, the selected context's health changed). Contexts absent
 * from `probes` are still being probed; every context gets a probe within ~5 s of subscribing.
 */
export const ClustersSnapshot = z.object({
  kubeconfig: KubeconfigState,
  probes: z.record(z.string(), ProbeResult),
  selection: ClusterSelection.nullable(),
  /**
   * Health of the selected context (null when nothing is selected). Pushed when its state, cause or
   * credentials outcome changes, not every second: the UI counts "reconnecting for N s" itself.
   * The selected context's entry in `probes` follows it (unreachable while down).
   */
  health: ClusterHealth.nullable().optional(),
});
export type ClustersSnapshot = z.infer<typeof ClustersSnapshot>;

export const NamespaceInfo = z.object({
  name: z.string(),
  /** Active or Terminating. */
  phase: z.string(),
  createdAt: z.string().nullable(),
});
export type NamespaceInfo = z.infer<typeof NamespaceInfo>;

export const clusterCalls = {
  'clusters.kubeconfig': call(z.object({}), KubeconfigState),
  /** Selects a context and namespace; aborts every stream of the previous selection. */
  'clusters.select': call(z.object({ context: ContextName, namespace: DnsLabel }), ClusterSelection),
  'clusters.selection': call(z.object({}), ClusterSelection.nullable()),
  /** Checks `context` with its credentials (its exec plugin runs). Never throws for an unreachable cluster: the answer says so. Returns within ~3 s. */
  'clusters.probe': call(z.object({ context: ContextName }), ProbeResult),
  /** Namespaces of `context` (default: the selected one). */
  'namespaces.list': call(z.object({ context: ContextName.optional() }), z.array(NamespaceInfo)),
  'namespaces.create': call(z.object({ name: DnsLabel, context: ContextName.optional() }), NamespaceInfo),
};
export const clusterStreams = {
  /** The kubeconfig (re-read when its files change), per-context reachability, the selection and its health. */
  'clusters.watch': stream(z.object({}), ClustersSnapshot),
};
