import { z } from 'zod';
import { call } from './define';

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

export const clusterCalls = {
  'clusters.kubeconfig': call(z.object({}), KubeconfigState),
};
export const clusterStreams = {};
