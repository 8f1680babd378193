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

/** One reachability check of a context (GET /version with a ~3 s deadline). */
export const ProbeResult = z.object({
  context: z.string(),
  reachable: z.boolean(),
  /** e.g. "v1.34.1" */
  serverVersion: z.string().nullable(),
  latencyMs: z.number().nullable(),
  /** When the probe finished (ISO time). */
  checkedAt: z.string(),
  /** Why it is unreachable (CLUSTER_UNREACHABLE, UNAUTHORIZED, KUBECONFIG_INVALID, ...). */
  error: ErrorShape.optional(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/**
 * What `clusters.watch` pushes: the whole picture each time (kubeconfig files re-read after a change,
 * a probe finished, the selection changed). Contexts absent from `probes` are still being probed.
 */
export const ClustersSnapshot = z.object({
  kubeconfig: KubeconfigState,
  probes: z.record(z.string(), ProbeResult),
  selection: ClusterSelection.nullable(),
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
  /** Never throws for an unreachable cluster: the answer says so. Returns within ~3 s. */
  'clusters.probe': call(z.object({ context: ContextName }), ProbeResult),
  /** Namespaces of `context` (default: the selected one). */
  'namespaces.list': call(z.object({ context: ContextName.optional() }), z.array(NamespaceInfo)),
  'namespaces.create': call(z.object({ name: DnsLabel, context: ContextName.optional() }), NamespaceInfo),
};
export const clusterStreams = {
  /** The kubeconfig (re-read when its files change), per-context reachability and the selection. */
  'clusters.watch': stream(z.object({}), ClustersSnapshot),
};
