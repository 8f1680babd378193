import { performance } from 'node:perf_hooks';
import { EmitPolicy, type EmitPolicyOptions } from './emit-policy';
import { Merger, type MergerOptions } from './merger';

/** Under load, at most one batch per subscriber every this many ms. */
export const EMIT_INTERVAL_MS = 100;

export interface BatcherOptions<T> {
  /** Emits what is due now: lines in timestamp order (possibly none, when only a status change is due). */
  emit(lines: T[]): void;
  /** The streams (keys as given to push) following now: their lines are merged. */
  following(): readonly string[];
  /** A ms clock that reads like wall time (line delays are measured against the kubelet's timestamps); tests pass their own. */
  now?: () => number;
  policy?: EmitPolicyOptions;
  merger?: MergerOptions;
}

/**
 * When a follow session's lines go out. Lines of several containers are merged by timestamp (see
 * Merger: a line waits only while another stream may still deliver an earlier one), and sent at once
 * while they are few, in batches of EMIT_INTERVAL_MS under load (see EmitPolicy).
 */
export class LogBatcher<T> {
  private readonly merger: Merger<T>;
  private readonly policy: EmitPolicy;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly o: BatcherOptions<T>) {
    this.now = o.now ?? (() => performance.timeOrigin + performance.now());
    this.merger = new Merger<T>(o.merger);
    this.policy = new EmitPolicy({ intervalMs: EMIT_INTERVAL_MS, ...o.policy });
  }

  get held(): number {
    return this.merger.size;
  }

  /** A line of `stream` arrived. */
  push(stream: string, ts: string, line: T): void {
    const now = this.now();
    this.merger.push(stream, ts, line, now);
    this.policy.arrived(now, 1);
  }

  /** Lines were pushed, or something else (the status) wants to go out: (re)schedule the next emit. */
  schedule(): void {
    if (this.stopped) return;
    const now = this.now();
    const due = Math.max(this.policy.nextSendAt(now), this.merger.nextDue(now, this.o.following()) ?? now);
    // New lines can make held ones releasable sooner (another stream passed them): move the timer up.
    if (this.timer && this.timerAt <= due) return;
    clearTimeout(this.timer);
    this.timerAt = due;
    this.timer = setTimeout(() => this.flush(false), Math.max(0, due - now));
  }

  /** Emits what is releasable now (everything held, when `all`). */
  flush(all: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    const lines = this.merger.release(now, this.o.following(), all);
    if (lines.length) this.policy.sent(now);
    this.o.emit(lines);
    if (this.merger.size && !all) this.schedule();
  }

  /** No more scheduled emits; `flush(true)` still empties what is held. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
