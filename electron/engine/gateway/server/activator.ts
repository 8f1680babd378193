import type { ColdStartParts } from '../shared/server-timing';
import type { Prober } from './prober';
import type { GatewayState, PodInfo, RevisionInfo } from './state';

/**
 * Holds calls for a revision that has no ready pod while one starts (Knative's activator, in the
 * gateway): asks the scaler for a pod, then hands each waiting call a pod as soon as one is ready,
 * spreading them over the pods that came up. A pod that will never start (its image cannot be
 * pulled, it crashes at start) fails the waiting calls at once with that reason; otherwise they
 * fail at the deadline, with what the pods were doing.
 */
export class ActivationError extends Error {}

export interface Acquired {
  pod: PodInfo;
  /** Set when the call waited for a pod; firstByteMs and totalMs are filled in by the router. */
  cold: { t0: number; source: ColdStartParts['source']; parts: Omit<ColdStartParts['parts'], 'firstByteMs'> } | null;
}

interface Waiter {
  t0: number;
  resolve(a: Acquired): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export interface ScaleTrigger {
  /** Make sure the revision has at least one pod coming. */
  activate(rev: RevisionInfo): void;
}

export interface WarmPool {
  /** Give the revision's code to a warm generic pod, if one is free (the activator is notified when it serves). */
  tryBridge(rev: RevisionInfo): void;
}

export class Activator {
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(
    private readonly state: GatewayState,
    private readonly scaler: ScaleTrigger,
    private readonly prober: Pick<Prober, 'hurry'>,
    private readonly deadlineMs: number,
    private readonly pool: WarmPool | null = null,
  ) {}

  waiting(key: string): boolean {
    return (this.waiters.get(key)?.size ?? 0) > 0;
  }

  /** A ready pod for the call (its inFlight already counted), waiting for one to start when there is none. */
  acquire(rev: RevisionInfo): Promise<Acquired> {
    const ready = this.state.usablePods(rev.key);
    if (ready.length) return Promise.resolve({ pod: take(ready), cold: null });
    this.scaler.activate(rev);
    this.pool?.tryBridge(rev);
    this.prober.hurry(rev.key);
    return new Promise<Acquired>((resolve, reject) => {
      const set = this.waiters.get(rev.key) ?? new Set<Waiter>();
      this.waiters.set(rev.key, set);
      const w: Waiter = {
        t0: Date.now(),
        resolve,
        reject,
        timer: setTimeout(() => {
          set.delete(w);
          reject(new ActivationError(`Function "${rev.fn}" could not start revision ${rev.rev} within ${Math.round(this.deadlineMs / 1000)} s: ${this.whyNotReady(rev)}`));
        }, this.deadlineMs),
      };
      set.add(w);
      this.check(rev.key);
    });
  }

  /** Pods or revisions changed: serve the waiters that can be served, fail those that cannot be. */
  notify(): void {
    for (const key of this.waiters.keys()) this.check(key);
  }

  private check(key: string): void {
    const set = this.waiters.get(key);
    if (!set?.size) return;
    const ready = this.state.usablePods(key);
    if (ready.length) {
      for (const w of [...set]) {
        set.delete(w);
        clearTimeout(w.timer);
        const pod = take(ready);
        w.resolve({ pod, cold: { t0: w.t0, source: pod.bridge ? 'warm-pool' : 'new-pod', parts: parts(w.t0, pod) } });
      }
      return;
    }
    const pods = this.state.podsOf(key).filter((p) => !p.deleting);
    const failed = pods.find((p) => p.failure);
    if (failed && pods.every((p) => p.failure)) {
      const [fn, rev] = key.split('/');
      for (const w of [...set]) {
        set.delete(w);
        clearTimeout(w.timer);
        w.reject(new ActivationError(`Function "${fn}" could not start revision ${rev}: ${failed.failure}`));
      }
    }
  }

  private whyNotReady(rev: RevisionInfo): string {
    const pods = this.state.podsOf(rev.key).filter((p) => !p.deleting);
    const failed = pods.find((p) => p.failure);
    if (failed) return failed.failure!;
    const phases: Record<string, string> = {
      scheduling: 'its pod is still waiting for a node',
      pulling: 'the runtime image is still being pulled',
      building: 'its pod is still installing dependencies',
      starting: 'its pod started but the runtime has not answered its readiness check yet',
    };
    if (pods.length) return `${phases[pods[0]!.phase] ?? 'its pod is not ready'} (pod ${pods[0]!.name}).`;
    const cur = this.state.revisions.get(rev.key) ?? rev;
    const failure = cur.deployment.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (failure) return `Kubernetes could not create its pod: ${failure.message ?? failure.reason ?? 'ReplicaFailure'}.`;
    if (cur.replicas === 0) return 'it could not be scaled up (the gateway log says why).';
    return 'no pod of it was created yet.';
  }
}

/** The ready pod with the fewest calls in flight (the call is counted on it at once). */
function take(pods: PodInfo[]): PodInfo {
  let best = pods[0]!;
  for (const p of pods) if (p.inFlight < best.inFlight || (p.inFlight === best.inFlight && Math.random() < 0.5)) best = p;
  best.inFlight++;
  return best;
}

/** Where a waiting call's time went, from what the gateway saw of the pod. */
function parts(t0: number, pod: PodInfo): Omit<ColdStartParts['parts'], 'firstByteMs'> {
  const now = Date.now();
  const ready = pod.verifiedAt ?? now;
  const scheduled = Math.min(pod.scheduledAt ?? pod.seenAt, ready);
  const running = Math.min(pod.runningAt ?? ready, ready);
  const a = Math.max(t0, scheduled);
  const b = Math.max(a, running);
  const c = Math.max(b, ready);
  return { schedulingMs: a - t0, containerStartMs: b - a, runtimeReadyMs: c - b };
}
