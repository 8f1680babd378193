import { FuncdeckError, type ClusterSelection } from '../../../shared/contract';
import type { ClusterAccess, ClusterTarget } from '../kube/access';
import type { EngineOptions } from '../options';
import { kubeconfigPaths } from './kubeconfig-files';
import { detectFlavor } from './kubeconfig-read';
import { loadKubeConfig } from '../kube/load';
import { createSelectionStore } from './selection-store';

export interface ClusterAccessControl extends ClusterAccess {
  /** Points the engine at a context and namespace; aborts everything bound to the old target. */
  select(context: string, namespace: string): ClusterTarget;
  /** Selects and remembers the choice in dataDir (resolves once written). */
  selectAndSave(context: string, namespace: string): Promise<ClusterTarget>;
  /** The current choice, or null. */
  selection(): ClusterSelection | null;
  /** A KubeConfig for any context of the user's kubeconfig (probes, other contexts' namespaces). */
  kubeConfigFor(context: string): ReturnType<typeof loadKubeConfig>;
  /** Re-reads the kubeconfig for the current selection (credentials changed); aborts the old target. */
  reload(): void;
  clear(): void;
}

/** The engine's own choice of context and namespace; the user's kubeconfig is never written. */
export function createClusterAccess(options: EngineOptions): ClusterAccessControl {
  let current: (ClusterTarget & { controller: AbortController }) | null = null;
  const listeners = new Set<(t: ClusterTarget | null) => void>();
  const store = createSelectionStore(options.dataDir);
  const files = () => kubeconfigPaths(options.env, options.homeDir);

  const notify = () => {
    for (const l of listeners) {
      try {
        l(current);
      } catch {
        // one listener's bug must not stop the others from hearing about the switch
      }
    }
  };

  function select(context: string, namespace: string): ClusterTarget {
    const kc = loadKubeConfig(files(), context);
    const cluster = kc.getCurrentCluster();
    current?.controller.abort(new FuncdeckError('CANCELLED', `Stopped because the cluster selection changed to ${context}/${namespace}.`));
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
  }

  const access: ClusterAccessControl = {
    target() {
      if (!current) throw new FuncdeckError('NO_CONTEXT_SELECTED', 'No cluster context is selected. Pick a context and namespace in the sidebar.');
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    select,
    async selectAndSave(context, namespace) {
      const t = select(context, namespace);
      await store.save({ context, namespace });
      return t;
    },
    selection() {
      return current ? { context: current.context, namespace: current.namespace, flavor: current.flavor } : null;
    },
    kubeConfigFor(context) {
      if (current && current.context === context) return current.kc;
      return loadKubeConfig(files(), context);
    },
    reload() {
      if (current) select(current.context, current.namespace);
    },
    clear() {
      current?.controller.abort(new FuncdeckError('CANCELLED', 'Stopped because the cluster selection was cleared.'));
      current = null;
      notify();
    },
  };

  // Restore the last choice; a context that has gone away simply leaves nothing selected.
  const saved = store.load();
  if (saved) {
    try {
      select(saved.context, saved.namespace);
    } catch {
      current = null;
    }
  }
  return access;
}
