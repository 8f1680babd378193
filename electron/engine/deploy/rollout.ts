import { pluralWord } from '../../../shared/plural';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { LABELS, RUNTIME_PORTS } from '../../../shared/contract/runtime-protocol';
import { kubeRequest } from '../kube/http';
import { watchCollection, type KubeObject } from '../kube/watch';
import { collections, lastLogLines } from './kube-ops';
import { CONTAINER, functionSelector } from './names';
import { podState, readinessFailing, type PodState } from './pod-status';

export type RolloutOutcome = { ok: true } | { ok: false; reason: string; lastLogLines: string[] };

export interface RolloutWatch {
  kc: KubeConfig;
  namespace: string;
  fn: string;
  revision: number;
  replicas: number;
  signal: AbortSignal;
  timeoutMs?: number;
  /** Progress in words ("Installing dependencies", "Starting 1 pod"), for the deploy steps. */
  onPhase?(phase: PodState['phase'], detail: string): void;
  /** A pod answered /readyz to the engine itself (before the kubelet may say it is ready). */
  onVerified?(pod: string): void;
}

/**
 * Watches a revision's pods (no polling) until `replicas` of them are Ready, or one shows why it
 * never will be: image pull failure, crash at start (with its last log lines), OOM, unschedulable,
 * failing dependency install, readiness failing, or the deadline.
 */
export function waitForRevision(w: RolloutWatch): Promise<RolloutOutcome> {
  const stop = new AbortController();
  const signal = AbortSignal.any([w.signal, stop.signal]);
  const timeoutMs = w.timeoutMs ?? 180_000;
  let lastPhase = '';
  let decided = false;

  return new Promise<RolloutOutcome>((resolve, reject) => {
    const onAbort = () => {
      if (!decided) {
        decided = true;
        clearTimeout(deadline);
        clearInterval(readinessCheck);
        reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
      }
    };
    const decide = (o: RolloutOutcome) => {
      if (decided) return;
      decided = true;
      clearTimeout(deadline);
      clearInterval(readinessCheck);
      w.signal.removeEventListener('abort', onAbort);
      // Leave the build log open a moment so its last lines arrive before the stream closes.
      setTimeout(() => stop.abort(), o.ok ? 0 : 300);
      resolve(o);
    };
    const deadline = setTimeout(
      () => decide({ ok: false, reason: `Revision ${w.revision} did not become ready within ${Math.round(timeoutMs / 1000)} s. The cluster's events for the function say more.`, lastLogLines: [] }),
      timeoutMs,
    );
    let latest: V1Pod[] = [];
    const readinessCheck = setInterval(() => {
      for (const p of latest) {
        const why = readinessFailing(p);
        if (why) void failWith(why, p, { container: CONTAINER.fn, previous: false });
      }
    }, 2000);
    const failWith = async (reason: string, pod: V1Pod, from: PodState['logsFrom']) => {
      if (decided) return;
      const lines = from ? await lastLogLines(w.kc, w.namespace, pod.metadata?.name ?? '', from.container, from.previous) : [];
      decide({ ok: false, reason, lastLogLines: lines });
    };
    w.signal.addEventListener('abort', onAbort, { once: true });

    // The kubelet's first readiness probe usually comes before the runtime listens, and the next one a
    // second later. So the engine also asks the pod's /readyz itself (through the API server's pod
    // proxy) as soon as the container runs; the Service publishes not-ready addresses, so traffic can
    // move as soon as this check passes.
    const verified = new Set<string>();
    const reported = new Set<string>();
    const checking = new Set<string>();
    let latestStates: PodState[] = [];
    const checkDirectly = (pod: string) => {
      checking.add(pod);
      void (async () => {
        const until = Date.now() + 15_000;
        while (!decided && !signal.aborted && Date.now() < until) {
          const ok = await kubeRequest(w.kc, {
            path: `/api/v1/namespaces/${encodeURIComponent(w.namespace)}/pods/${encodeURIComponent(pod)}:${RUNTIME_PORTS.metrics}/proxy/readyz`,
            timeoutMs: 2000,
            signal,
          }).then(
            (r) => r.status === 200,
            () => false,
          );
          if (ok) {
            verified.add(pod);
            w.onVerified?.(pod);
            const ready = latestStates.filter((s) => s.ready || verified.has(s.name)).length;
            if (ready >= w.replicas) decide({ ok: true });
            return;
          }
          await new Promise((r) => setTimeout(r, 25));
        }
        checking.delete(pod);
      })();
    };

    watchCollection<KubeObject>(
      w.kc,
      { ...collections(w.namespace).pods, labelSelector: `${functionSelector(w.fn)},${LABELS.revision}=${w.revision}` },
      {
        signal,
        batchMs: 20,
        onBatch(items) {
          if (decided) return;
          const pods = (items as unknown as V1Pod[]).filter((p) => !p.metadata?.deletionTimestamp);
          latest = pods;
          const states = pods.map(podState);
          for (const [i, s] of states.entries()) {
            const pod = pods[i]!;
            if (s.phase === 'failed') return void failWith(s.reason ?? 'The pod failed.', pod, s.logsFrom);
          }
          for (const [i, s] of states.entries()) {
            const running = pods[i]!.status?.containerStatuses?.find((c) => c.name === CONTAINER.fn)?.state?.running;
            if (running && !s.ready && !verified.has(s.name) && !checking.has(s.name)) checkDirectly(s.name);
          }
          latestStates = states;
          // The views' own watches may see the kubelet's verdict later than this one does.
          for (const s of states) {
            if (!s.ready || reported.has(s.name)) continue;
            reported.add(s.name);
            w.onVerified?.(s.name);
          }
          const ready = states.filter((s) => s.ready || verified.has(s.name)).length;
          if (ready >= w.replicas) return decide({ ok: true });
          const phase = states.find((s) => s.phase === 'building')?.phase ?? states[0]?.phase ?? 'scheduling';
          const detail =
            phase === 'building'
              ? 'Installing dependencies'
              : phase === 'scheduling'
                ? 'Waiting for a node'
                : phase === 'pulling'
                  ? 'Pulling the runtime image'
                  : `${ready}/${w.replicas} ${pluralWord(w.replicas, 'pod')} ready`;
          if (phase + detail !== lastPhase) {
            lastPhase = phase + detail;
            w.onPhase?.(phase, detail);
          }
        },
      },
    ).catch((e) => {
      if (!decided) {
        decided = true;
        clearTimeout(deadline);
        clearInterval(readinessCheck);
        w.signal.removeEventListener('abort', onAbort);
        reject(e);
      }
    });
  });
}
