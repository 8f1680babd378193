import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterHealth, ClusterSelection, ClustersSnapshot, FuncdeckError, KubeconfigState, ProbeResult } from '../../../shared/contract';
import { useEngine } from '../api/engine';

export interface ClustersState {
  /** null until the first answer from the engine. */
  kubeconfig: KubeconfigState | null;
  probes: Record<string, ProbeResult>;
  selection: ClusterSelection | null;
  /** The selected context's health, when the engine follows it (undefined from older engines). */
  health: ClusterHealth | null | undefined;
  /** The last failure of a cluster call, in the engine's words. */
  error: FuncdeckError | null;
  /** Selecting a context or namespace is in flight. */
  selecting: boolean;
  select(context: string, namespace: string): Promise<void>;
  reload(): void;
}

/** Kubeconfig contexts, their reachability and the app's selection, kept live by clusters.watch. */
export function useClusters(defaultNamespace: string): ClustersState {
  const engine = useEngine();
  const [kubeconfig, setKubeconfig] = useState<KubeconfigState | null>(null);
  const [probes, setProbes] = useState<Record<string, ProbeResult>>({});
  const [selection, setSelection] = useState<ClusterSelection | null>(null);
  const [health, setHealth] = useState<ClusterHealth | null | undefined>(undefined);
  const [selectionLoaded, setSelectionLoaded] = useState(false);
  const [error, setError] = useState<FuncdeckError | null>(null);
  const [selecting, setSelecting] = useState(false);
  const [generation, setGeneration] = useState(0);

  // First paint from a plain read, then the live stream (which also re-reads changed files).
  useEffect(() => {
    let live = true;
    engine.call('clusters.kubeconfig', {}).then((state) => live && setKubeconfig(state), (e: FuncdeckError) => live && setError(e));
    engine.call('clusters.selection', {}).then(
      (sel) => {
        if (!live) return;
        setSelection(sel);
        setSelectionLoaded(true);
      },
      () => live && setSelectionLoaded(true),
    );
    const unsubscribe = engine.subscribe('clusters.watch', {}, {
      onEvent(snapshot: ClustersSnapshot) {
        if (!live) return;
        setKubeconfig(snapshot.kubeconfig);
        setProbes(snapshot.probes);
        setHealth(snapshot.health);
        if (snapshot.selection) setSelection(snapshot.selection);
      },
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [engine, generation]);

  const select = useCallback(
    async (context: string, namespace: string) => {
      setSelecting(true);
      try {
        setSelection(await engine.call('clusters.select', { context, namespace }));
        setError(null);
      } catch (e) {
        setError(e as FuncdeckError);
      } finally {
        setSelecting(false);
      }
    },
    [engine],
  );

  // Nothing selected yet: start on the kubeconfig's current context, as kubectl would (once per
  // context, so a failing select shows its error instead of being retried in a loop).
  const autoTried = useRef<string | null>(null);
  useEffect(() => {
    if (!kubeconfig || !selectionLoaded || selection || selecting) return;
    const start = kubeconfig.contexts.find((c) => c.name === kubeconfig.current) ?? kubeconfig.contexts[0];
    if (!start || autoTried.current === start.name) return;
    autoTried.current = start.name;
    void select(start.name, start.namespace ?? defaultNamespace);
  }, [kubeconfig, selectionLoaded, selection, selecting, select, defaultNamespace]);

  // A selected context with no probe yet (the watch is still probing it): ask directly once.
  const selectedContext = selection?.context;
  useEffect(() => {
    if (!selectedContext || probes[selectedContext]) return;
    let live = true;
    engine.call('clusters.probe', { context: selectedContext }).then(
      (probe) => live && setProbes((p) => (p[probe.context] ? p : { ...p, [probe.context]: probe })),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, selectedContext]);

  // While the selected cluster is unreachable, look again every 2 s so the app recovers on its own
  // (and a blip's banner goes soon after the cluster is back).
  const selectedDown = !!selectedContext && probes[selectedContext]?.reachable === false;
  useEffect(() => {
    if (!selectedDown || !selectedContext) return;
    const timer = setInterval(() => {
      engine.call('clusters.probe', { context: selectedContext }).then(
        (probe) => setProbes((p) => ({ ...p, [probe.context]: probe })),
        () => undefined,
      );
    }, 2000);
    return () => clearInterval(timer);
  }, [engine, selectedContext, selectedDown]);

  const reload = useCallback(() => {
    setGeneration((g) => g + 1);
    if (!selectedContext) return;
    engine.call('clusters.probe', { context: selectedContext }).then(
      (probe) => setProbes((p) => ({ ...p, [probe.context]: probe })),
      () => undefined,
    );
  }, [engine, selectedContext]);

  return { kubeconfig, probes, selection, health, error, selecting, select, reload };
}
