/** A line waiting to be released in time order, with when it arrived (ms, monotonic). */
export interface Pending<T> {
  ts: string;
  arrived: number;
  line: T;
}

/**
 * Merges lines of several streams by timestamp. Streams deliver with different delays, so a line
 * is held for `windowMs` after it arrived before it is released; each release is sorted by
 * timestamp (stably: lines of one stream keep their order). With one stream, nothing is held.
 */
export class Merger<T> {
  private pending: Array<Pending<T>> = [];

  constructor(private windowMs = 75) {}

  get size(): number {
    return this.pending.length;
  }

  push(ts: string, line: T, now: number): void {
    this.pending.push({ ts, arrived: now, line });
  }

  /** When the oldest held line becomes releasable (ms), or null when none is held. */
  nextDue(streams: number): number | null {
    const first = this.pending[0];
    if (!first) return null;
    return streams > 1 ? first.arrived + this.windowMs : first.arrived;
  }

  /** Releases the lines held long enough (all of them when `all`), in timestamp order. */
  release(now: number, streams: number, all = false): T[] {
    if (this.pending.length === 0) return [];
    const hold = all || streams <= 1 ? -1 : this.windowMs;
    let n = 0;
    if (hold < 0) n = this.pending.length;
    else while (n < this.pending.length && now - this.pending[n]!.arrived >= hold) n++;
    if (n === 0) return [];
    const out = n === this.pending.length ? this.pending : this.pending.slice(0, n);
    this.pending = n === this.pending.length ? [] : this.pending.slice(n);
    if (streams > 1) out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    return out.map((p) => p.line);
  }
}
