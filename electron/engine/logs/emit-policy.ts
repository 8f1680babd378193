/**
 * When a follow session may send its next batch: at once while lines are few, at most once per
 * `intervalMs` under load. Load is judged over the last `windowMs`: more than `busyLines` lines
 * arrived, or already `quickSends` batches went out (many small sends cost the UI more than a few
 * larger ones, and nobody reads lines that fast anyway).
 */
export interface EmitPolicyOptions {
  intervalMs?: number;
  windowMs?: number;
  busyLines?: number;
  quickSends?: number;
}

export class EmitPolicy {
  readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly busyLines: number;
  private readonly quickSends: number;
  /** Arrivals in the window: [time, lines]. */
  private arrivals: Array<[number, number]> = [];
  private arrivedLines = 0;
  private sends: number[] = [];
  private lastSend = -Infinity;

  constructor(o: EmitPolicyOptions = {}) {
    this.intervalMs = o.intervalMs ?? 100;
    this.windowMs = o.windowMs ?? 100;
    this.busyLines = o.busyLines ?? 100;
    this.quickSends = o.quickSends ?? 4;
  }

  arrived(now: number, lines: number): void {
    const last = this.arrivals.at(-1);
    if (last && last[0] === now) last[1] += lines;
    else this.arrivals.push([now, lines]);
    this.arrivedLines += lines;
  }

  sent(now: number): void {
    this.sends.push(now);
    this.lastSend = now;
  }

  /** Whether lines come faster than the thresholds allow sending each at once. */
  busy(now: number): boolean {
    this.forget(now);
    return this.arrivedLines > this.busyLines || this.sends.length >= this.quickSends;
  }

  /** The earliest time the next batch may go. */
  nextSendAt(now: number): number {
    return this.busy(now) ? Math.max(now, this.lastSend + this.intervalMs) : now;
  }

  private forget(now: number): void {
    const from = now - this.windowMs;
    let i = 0;
    while (i < this.arrivals.length && this.arrivals[i]![0] <= from) this.arrivedLines -= this.arrivals[i++]![1];
    if (i) this.arrivals.splice(0, i);
    let j = 0;
    while (j < this.sends.length && this.sends[j]! <= from) j++;
    if (j) this.sends.splice(0, j);
  }
}
