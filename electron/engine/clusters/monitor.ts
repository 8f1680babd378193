import type { ClustersSnapshot, KubeconfigState, ProbeResult } from '../../../shared/contract';
import type { ClusterAccessControl } from './access';
import { kubeconfigPaths } from './kubeconfig-files';
import { readKubeconfig, type MergedKubeconfig } from './kubeconfig-read';
import { watchKubeconfigFiles } from './kubeconfig-watch';
import type { ProbeCache } from './probe-cache';
import type { EngineOptions } from '../options';

export interface MonitorOptions {
  /** Re-probe every context this often while someone watches. */
  reprobeMs?: number;
  /** Probes run at most this many at a time, so many dead contexts cannot pile up sockets. */
  concurrency?: number;
  /** Snapshots are pushed at most this often. */
  batchMs?: number;
  debounceMs?: number;
}

/** A fingerprint of what a context points at and authenticates with; a change means its client must be rebuilt. */
function contextFingerprint(m: MergedKubeconfig, name: string): string | null {
  const ctx = m.contexts.get(name);
  if (!ctx) return null;
  return JSON.stringify([ctx.cluster, ctx.user, m.clusters.get(ctx.cluster) ?? null, m.users.get(ctx.user) ?? null]);
}

/**
 * The body of the clusters.watch stream: pushes the kubeconfig state when its files change, each
 * context's reachability as its probe completes, and the selection. Probes never delay the first snapshot.
 * Also keeps the engine's selection consistent with the files: a selected context that disappears is
 * cleared, and one whose cluster or credentials changed is reloaded (its old streams end).
 */
export async function runClustersMonitor(
  options: EngineOptions,
  access: ClusterAccessControl,
  probes: ProbeCache,
  emit: (s: ClustersSnapshot) => void,
  signal: AbortSignal,
  opts: MonitorOptions = {},
): Promise<void> {
  const files = kubeconfigPaths(options.env, options.homeDir);
  const concurrency = opts.concurrency ?? 4;
  let merged = await readKubeconfig(files);
  let kubeconfig: KubeconfigState = merged.state;
  const results: Record<string, ProbeResult> = {};
  let flushTimer: NodeJS.Timeout | undefined;
  let lastSent = '';

  const flush = () => {
    flushTimer = undefined;
    if (signal.aborted) return;
    const snapshot: ClustersSnapshot = { kubeconfig, probes: { ...results }, selection: access.selection() };
    const text = JSON.stringify(snapshot);
    if (text === lastSent) return;
    lastSent = text;
    emit(snapshot);
  };
  const schedule = () => {
    flushTimer ??= setTimeout(flush, opts.batchMs ?? 100);
  };

  let queue: string[] = [];
  let running = 0;
  const pump = () => {
    while (!signal.aborted && running < concurrency && queue.length) {
      const context = queue.shift()!;
      running++;
      probes
        .probe(context, true)
        .then((r) => {
          if (signal.aborted || !kubeconfig.contexts.some((c) => c.name === context)) return;
          results[context] = r;
          schedule();
        })
        .finally(() => {
          running--;
          pump();
        });
    }
  };
  const probeAll = (names: string[]) => {
    queue = [...new Set([...queue, ...names])];
    pump();
  };

  const reread = async () => {
    const next = await readKubeconfig(files);
    if (signal.aborted) return;
    const changed: string[] = [];
    for (const c of next.state.contexts) {
      if (contextFingerprint(merged, c.name) !== contextFingerprint(next, c.name)) changed.push(c.name);
    }
    for (const name of Object.keys(results)) {
      if (!next.contexts.has(name)) delete results[name];
    }
    for (const name of changed) {
      delete results[name];
      probes.forget(name);
    }
    const sel = access.selection();
    if (sel && !next.contexts.has(sel.context)) access.clear();
    else if (sel && changed.includes(sel.context)) {
      try {
        access.reload();
      } catch {
        access.clear();
      }
    }
    merged = next;
    kubeconfig = next.state;
    schedule();
    probeAll(changed);
  };

  flush();
  probeAll(kubeconfig.contexts.map((c) => c.name));
  const off = access.onChange(() => schedule());
  let rereading = Promise.resolve();
  watchKubeconfigFiles(files, () => void (rereading = rereading.then(reread, reread)), signal, { debounceMs: opts.debounceMs });
  const reprobe = setInterval(() => probeAll(kubeconfig.contexts.map((c) => c.name)), opts.reprobeMs ?? 30_000);

  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  off();
  clearInterval(reprobe);
  clearTimeout(flushTimer);
}
