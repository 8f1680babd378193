import { performance } from 'node:perf_hooks';
import { Merger } from './merger';

/** At most one batch per subscriber every this many ms. */
export const EMIT_INTERVAL_MS = 100;

export interface BatcherOptions<T> {
  /** Emits what is due now: lines in timestamp order (possibly none, when only a status change is due). */
  emit(lines: T[]): void;
  /** The streams (keys as given to push) following now: their lines are merged. */
  following(): readonly string[];
  /** ms clock; tests pass their own. */
  now?: () => number;
}

/**
 * When a follow session's lines go out: lines are merged across streams, and emitted at most once
 * every EMIT_INTERVAL_MS.
 */
export class LogBatcher<T> {
  private readonly merger = new Merger<T>();
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = -Infinity;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly o: BatcherOptions<T>) {
    this.now = o.now ?? (() => performance.now());
  }

  get held(): number {
    return this.merger.size;
  }

  /** A line of `stream` arrived. */
  push(_stream: string, ts: string, line: T): void {
    this.merger.push(ts, line, this.now());
  }

  /** Lines were pushed or something else (the status) wants to go out: schedule the next emit. */
  schedule(): void {
    if (this.timer || this.stopped) return;
    const now = this.now();
    const due = Math.max(this.lastFlush + EMIT_INTERVAL_MS, this.merger.nextDue(this.o.following().length) ?? now);
    this.timer = setTimeout(() => this.flush(false), Math.max(0, due - now));
  }

  /** Emits what is releasable now (everything held, when `all`). */
  flush(all: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.now();
    this.lastFlush = now;
    this.o.emit(this.merger.release(now, this.o.following().length, all));
    if (this.merger.size && !all) this.schedule();
  }

  /** No more scheduled emits; `flush(true)` still empties what is held. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
