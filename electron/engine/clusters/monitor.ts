import type { ClusterHealth, ClustersSnapshot, KubeconfigState, ProbeResult } from '../../../shared/contract';
import { healthFor, toClusterHealth, type HealthCheckOptions, type HealthView } from '../kube/health';
import type { ClusterTarget } from '../kube/access';
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
  /** Cadence of the selected context's health checks (tests shorten it). */
  healthCheck?: HealthCheckOptions;
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
 * context's reachability as its probe completes, the selection and its health. Probes never delay the
 * first snapshot. The selected context is probed with its credentials; every other one anonymously, so
 * no credential plugin runs for a context nobody chose. While someone watches, the selected context's
 * health is checked every few seconds (every second while down), and its probe follows that health:
 * unreachable as soon as a call or check gets no answer, probed again as soon as it answers.
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
  // Anonymous probes are cheap and bounded by their deadline: enough at once that every context has a verdict within ~5 s.
  const concurrency = opts.concurrency ?? 16;
  let merged = await readKubeconfig(files);
  let kubeconfig: KubeconfigState = merged.state;
  const results: Record<string, ProbeResult> = {};
  let health: ClusterHealth | null = null;
  let healthView: HealthView | null = null;
  let flushTimer: NodeJS.Timeout | undefined;
  let lastSent = '';

  const flush = () => {
    flushTimer = undefined;
    if (signal.aborted) return;
    const snapshot: ClustersSnapshot = { kubeconfig, probes: { ...results }, selection: access.selection(), health };
    const text = JSON.stringify(snapshot);
    if (text === lastSent) return;
    lastSent = text;
    emit(snapshot);
  };
  const schedule = () => {
    flushTimer ??= setTimeout(flush, opts.batchMs ?? 100);
  };
  const selected = () => access.selection()?.context ?? null;

  let queue: string[] = [];
  let running = 0;
  const pump = () => {
    while (!signal.aborted && running < concurrency && queue.length) {
      const context = queue.shift()!;
      const mode = context === selected() ? 'credentials' : 'anonymous';
      const started = Date.now();
      running++;
      probes
        .probe(context, true, mode)
        .then((r) => {
          if (signal.aborted || !kubeconfig.contexts.some((c) => c.name === context)) return;
          // A call or check that failed after this probe began knows better than the probe.
          if (context === selected() && healthView?.state === 'down' && healthView.since >= started && r.reachable) return;
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

  // The selected context's health: followed while this stream lives and the target stays selected.
  let followed: { target: ClusterTarget; stop: AbortController; off: () => void } | null = null;
  const onHealth = (context: string, v: HealthView) => {
    const before = healthView?.state;
    healthView = v;
    health = toClusterHealth(v);
    if (v.state === 'down') {
      const prev = results[context];
      results[context] = {
        context,
        reachable: false,
        verdict: 'unreachable',
        serverVersion: prev?.serverVersion ?? null,
        latencyMs: null,
        checkedAt: new Date().toISOString(),
        checkedWith: prev?.checkedWith ?? 'credentials',
        ...(v.error ? { error: v.error.toShape() } : {}),
      };
    } else if (v.state === 'up' && before !== 'up') probeAll([context]);
    schedule();
  };
  const unfollow = () => {
    followed?.off();
    followed?.stop.abort();
    followed = null;
  };
  const followSelected = () => {
    let target: ClusterTarget | null;
    try {
      target = access.selection() ? access.target() : null;
    } catch {
      target = null;
    }
    if (followed?.target === target) return;
    unfollow();
    health = null;
    healthView = null;
    if (target && !signal.aborted) {
      const h = healthFor(target.kc);
      if (h) {
        const stop = new AbortController();
        const context = target.context;
        followed = { target, stop, off: h.subscribe((v) => onHealth(context, v)) };
        h.keepChecking(target.kc, AbortSignal.any([signal, target.signal, stop.signal]), opts.healthCheck);
        healthView = h.view();
        health = toClusterHealth(healthView);
      }
    }
    schedule();
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

  followSelected();
  flush();
  probeAll(kubeconfig.contexts.map((c) => c.name));
  let lastSelected = selected();
  const off = access.onChange(() => {
    followSelected();
    // The old and the new selection change how they are checked (credentials or anonymous).
    const now = selected();
    probeAll([lastSelected, now].filter((c): c is string => !!c && kubeconfig.contexts.some((x) => x.name === c)));
    lastSelected = now;
    schedule();
  });
  let rereading = Promise.resolve();
  watchKubeconfigFiles(files, () => void (rereading = rereading.then(reread, reread)), signal, { debounceMs: opts.debounceMs });
  const reprobe = setInterval(() => probeAll(kubeconfig.contexts.map((c) => c.name)), opts.reprobeMs ?? 30_000);

  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  off();
  unfollow();
  clearInterval(reprobe);
  clearTimeout(flushTimer);
}
