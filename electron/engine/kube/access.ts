import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterFlavor } from '../../../shared/contract';

/** The cluster the user is working on right now. Its signal aborts when they switch away. */
export interface ClusterTarget {
  context: string;
  namespace: string;
  flavor: ClusterFlavor;
  kc: KubeConfig;
  /** Aborted when the context or namespace changes: streams of the old target must stop. */
  signal: AbortSignal;
}

/** How domain code reaches the cluster; owned by the clusters domain (electron/engine/clusters). */
export interface ClusterAccess {
  /** The current target; throws FuncdeckError NO_CONTEXT_SELECTED when there is none. */
  target(): ClusterTarget;
  /** Called after every switch (null when the selection was cleared). */
  onChange(listener: (target: ClusterTarget | null) => void): () => void;
}
