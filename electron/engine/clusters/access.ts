import { FuncdeckError } from '../../../shared/contract';
import type { ClusterAccess, ClusterTarget } from '../kube/access';
import type { EngineOptions } from '../options';
import { kubeconfigPaths } from './kubeconfig-files';
import { detectFlavor } from './kubeconfig-read';
import { loadKubeConfig } from '../kube/load';

export interface ClusterAccessControl extends ClusterAccess {
  /** Points the engine at a context and namespace; aborts everything bound to the old target. */
  select(context: string, namespace: string): ClusterTarget;
  clear(): void;
}

/** The engine's own choice of context and namespace; the user's kubeconfig is never written. */
export function createClusterAccess(options: EngineOptions): ClusterAccessControl {
  let current: (ClusterTarget & { controller: AbortController }) | null = null;
  const listeners = new Set<(t: ClusterTarget | null) => void>();

  const notify = () => listeners.forEach((l) => l(current));
  return {
    target() {
      if (!current) throw new FuncdeckError('NO_CONTEXT_SELECTED', 'No cluster context is selected. Pick one in the sidebar.');
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    select(context, namespace) {
      const kc = loadKubeConfig(kubeconfigPaths(options.env, options.homeDir), context);
      const cluster = kc.getCurrentCluster();
      current?.controller.abort();
      const controller = new AbortController();
      current = {
        context,
        namespace,
        flavor: detectFlavor(context, cluster?.name ?? '', cluster?.server ?? null),
        kc,
        signal: controller.signal,
        controller,
      };
      notify();
      return current;
    },
    clear() {
      current?.controller.abort();
      current = null;
      notify();
    },
  };
}
