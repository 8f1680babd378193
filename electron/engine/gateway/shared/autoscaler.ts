/**
 * Concurrency autoscaling, pure, after Knative's pod autoscaler (KPA): desired pods are the average
 * number of calls in flight over a stable window (60 s) divided by the per-pod target; a short panic
 * window (6 s) catches bursts: when it asks for at least twice the ready pods, the scaler panics,
 * scales to what the burst needs and does not scale down until the burst has been in the stable
 * window for a whole window. Scale to zero is separate (idle for the grace period, see idleDecision).
 */

export interface AutoscaleSpec {
  min: number;
  max: number;
  /** Calls in flight per pod the scaler aims for. */
  target: number;
  stableWindowMs: number;
  panicWindowMs: number;
  /** Panic when the panic window asks for this multiple of the ready pods (2 = 200%). */
  panicThreshold: number;
  /** At most this multiple of the ready pods per decision, up and down. */
  maxScaleUpRate: number;
  maxScaleDownRate: number;
}

export const KPA_DEFAULTS = { stableWindowMs: 60_000, panicWindowMs: 6_000, panicThreshold: 2, maxScaleUpRate: 1000, maxScaleDownRate: 2 } as const;

export interface ScalerState {
  /** Unix ms panic mode last had reason to hold (null: not panicking). */
  panicSince: number | null;
  /** The most pods asked for during this panic; never less while it lasts. */
  maxPanicPods: number;
}

export const calmState = (): ScalerState => ({ panicSince: null, maxPanicPods: 0 });

export interface Observation {
  /** Average calls in flight over the stable and the panic window. */
  stable: number;
  panic: number;
  readyPods: number;
}

export interface Decision {
  desired: number;
  panicking: boolean;
  state: ScalerState;
}

export function decideScale(spec: AutoscaleSpec, state: ScalerState, obs: Observation, now: number): Decision {
  const ready = Math.max(1, obs.readyPods);
  const maxUp = Math.ceil(spec.maxScaleUpRate * ready);
  const maxDown = Math.floor(ready / spec.maxScaleDownRate);
  const wantStable = Math.ceil(obs.stable / spec.target);
  const wantPanic = Math.ceil(obs.panic / spec.target);
  const stable = Math.min(Math.max(wantStable, maxDown), maxUp);
  const panic = Math.min(Math.max(wantPanic, maxDown), maxUp);
  const over = wantPanic / ready >= spec.panicThreshold;

  let next: ScalerState = state;
  if (over) next = { panicSince: now, maxPanicPods: state.maxPanicPods };
  else if (state.panicSince !== null && now - state.panicSince > spec.stableWindowMs) next = calmState();

  let desired = stable;
  if (next.panicSince !== null) {
    desired = Math.max(stable, panic, next.maxPanicPods); // no scaling down while panicking
    next = { ...next, maxPanicPods: desired };
  }
  desired = Math.min(spec.max, Math.max(spec.min, desired));
  return { desired, panicking: next.panicSince !== null, state: next };
}

/**
 * Whether a revision allowed to scale to zero should go there now: nothing in flight and no call
 * for the whole grace period. Knative waits for its stable window to read zero as well; here the
 * grace is the one setting a person tunes (scale.scaleToZeroGraceSeconds).
 */
export function idleDecision(min: number, inFlight: number, lastActivity: number, graceMs: number, now: number): boolean {
  return min === 0 && inFlight === 0 && now - lastActivity >= graceMs;
}

/**
 * Calls in flight over time, integrated into 1 s buckets, so an average over any window is the
 * time-weighted mean (a call that lasted half a second counts half). Windows are measured from the
 * first observation, so a freshly started gateway does not dilute a burst with time it never saw.
 */
export class ConcurrencyMeter {
  private level = 0;
  private since: number;
  private readonly first: number;
  private readonly buckets = new Map<number, number>();

  constructor(
    now: number,
    private readonly keepMs = 120_000,
    private readonly bucketMs = 1000,
  ) {
    this.since = now;
    this.first = now;
  }

  get inFlight(): number {
    return this.level;
  }

  change(now: number, delta: number): void {
    this.accrue(now);
    this.level = Math.max(0, this.level + delta);
  }

  average(now: number, windowMs: number): number {
    this.accrue(now);
    const from = Math.max(now - windowMs, this.first);
    if (now <= from) return this.level;
    let area = 0;
    for (const [b, a] of this.buckets) {
      const start = b * this.bucketMs;
      const end = start + this.bucketMs;
      const overlap = Math.min(end, now) - Math.max(start, from);
      if (overlap <= 0) continue;
      const covered = Math.min(end, now) - start; // a bucket's area so far covers [start, min(end, now))
      area += covered > 0 ? (a * overlap) / covered : 0;
    }
    return area / (now - from);
  }

  private accrue(now: number): void {
    let t = Math.max(this.since, now - this.keepMs);
    while (t < now) {
      const b = Math.floor(t / this.bucketMs);
      const end = Math.min(now, (b + 1) * this.bucketMs);
      this.buckets.set(b, (this.buckets.get(b) ?? 0) + this.level * (end - t));
      t = end;
    }
    this.since = Math.max(this.since, now);
    const oldest = Math.floor((now - this.keepMs) / this.bucketMs);
    for (const b of this.buckets.keys()) if (b < oldest) this.buckets.delete(b);
  }
}
