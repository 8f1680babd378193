/** A line waiting to be released in time order: its stream, when it arrived (ms), and the line. */
interface Pending<T> {
  stream: string;
  ts: string;
  arrived: number;
  line: T;
}

interface StreamMark {
  /** The newest timestamp this stream delivered: its later lines are at least this late. */
  lastTs: string;
  lastArrival: number;
  /** Recent delays (arrival − timestamp, ms) of its lines. */
  lags: number[];
}

export interface MergerOptions {
  /** Longest a line is held for another stream (ms): beyond it, it goes out whatever the others do. */
  capMs?: number;
  /** Added to the delays seen when judging that a quiet stream has nothing older in flight (ms). */
  slackMs?: number;
}

const STREAM_LAGS = 16;
const RECENT_LAGS = 64;

/**
 * Merges the lines of several streams (one per container) by their timestamps. A line must wait
 * while another stream may still deliver a line stamped earlier; each stream's lines come in order,
 * so a stream no longer holds a line back once it
 *  - delivered a line stamped at or after it (its watermark passed), or
 *  - is quiet, and the line is older than the delay its lines (or any stream's) have recently taken
 *    to arrive, plus a margin: had it printed something earlier, that would have arrived by now.
 * Whatever happens, no line is held longer than `capMs`. With one stream nothing is held, and a
 * stream that is not following (reconnecting, ended) holds nothing back.
 */
export class Merger<T> {
  private pending: Array<Pending<T>> = [];
  private readonly marks = new Map<string, StreamMark>();
  private readonly recentLags: number[] = [];
  private readonly capMs: number;
  private readonly slackMs: number;

  constructor(o: MergerOptions = {}) {
    this.capMs = o.capMs ?? 75;
    this.slackMs = o.slackMs ?? 10;
  }

  get size(): number {
    return this.pending.length;
  }

  push(stream: string, ts: string, line: T, now: number): void {
    this.pending.push({ stream, ts, arrived: now, line });
    let mark = this.marks.get(stream);
    if (!mark) this.marks.set(stream, (mark = { lastTs: ts, lastArrival: -Infinity, lags: [] }));
    if (ts > mark.lastTs) mark.lastTs = ts;
    // The first line of each arrival has the longest delay of its chunk. Delays beyond the cap are
    // history (a tail or a resumed stream) or a backlog, not how long a fresh line takes.
    if (now !== mark.lastArrival) {
      mark.lastArrival = now;
      const lag = now - Date.parse(ts);
      if (lag <= this.capMs) {
        pushBounded(mark.lags, lag, STREAM_LAGS);
        pushBounded(this.recentLags, lag, RECENT_LAGS);
      }
    }
  }

  /** When, without further arrivals, a held line becomes releasable (ms); null when none is held. */
  nextDue(now: number, following: readonly string[]): number | null {
    if (this.pending.length === 0) return null;
    if (following.length <= 1) return now;
    let oldestArrival = Infinity;
    let minTs = this.pending[0]!.ts;
    for (const p of this.pending) {
      if (p.arrived < oldestArrival) oldestArrival = p.arrived;
      if (p.ts < minTs) minTs = p.ts;
    }
    const cap = oldestArrival + this.capMs;
    // The oldest held line goes when every stream that has not passed it is judged quiet.
    let clock = -Infinity;
    // Line keys have ns digits, the clock ms: the next whole ms is surely past the line.
    const minMs = Date.parse(minTs) + 1;
    for (const s of following) {
      const mark = this.marks.get(s);
      if (mark && mark.lastTs >= minTs) continue;
      const lag = this.lagOf(mark);
      if (lag === null) return Math.max(now, cap);
      clock = Math.max(clock, minMs + lag + this.slackMs);
    }
    return Math.max(now, Math.min(cap, clock));
  }

  /** Releases the held lines that can go now (all of them when `all`), in timestamp order. */
  release(now: number, following: readonly string[], all = false): T[] {
    if (this.pending.length === 0) return [];
    if (all || following.length <= 1) {
      const out = this.pending;
      this.pending = [];
      return sortedLines(out);
    }
    // The time up to which every following stream is complete.
    let watermark: string | null = null;
    for (const s of following) {
      const mark = this.marks.get(s);
      let bound = mark?.lastTs ?? '';
      const lag = this.lagOf(mark);
      if (lag !== null) {
        const quietUpTo = isoKey(now - lag - this.slackMs);
        if (quietUpTo > bound) bound = quietUpTo;
      }
      if (watermark === null || bound < watermark) watermark = bound;
    }
    // Lines held for the cap go regardless, and with them every line stamped before them.
    let forced = '';
    for (const p of this.pending) if (now - p.arrived >= this.capMs && p.ts > forced) forced = p.ts;
    const upTo = watermark !== null && watermark > forced ? watermark : forced;
    const out: Array<Pending<T>> = [];
    const keep: Array<Pending<T>> = [];
    for (const p of this.pending) (p.ts <= upTo ? out : keep).push(p);
    this.pending = keep;
    return sortedLines(out);
  }

  /** The longest recent delay of this stream's lines, or of any stream's; null when none was seen. */
  private lagOf(mark: StreamMark | undefined): number | null {
    let lag = -Infinity;
    for (const l of mark?.lags ?? []) if (l > lag) lag = l;
    for (const l of this.recentLags) if (l > lag) lag = l;
    return lag === -Infinity ? null : lag;
  }
}

function pushBounded(list: number[], value: number, max: number): void {
  list.push(value);
  if (list.length > max) list.shift();
}

/**
 * Lines of several streams sorted by timestamp (stable: equal stamps keep their arrival order).
 * One stream's lines keep the order it sent them in.
 */
function sortedLines<T>(out: Array<Pending<T>>): T[] {
  let mixed = false;
  let ordered = true;
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.stream !== out[0]!.stream) mixed = true;
    if (out[i]!.ts < out[i - 1]!.ts) ordered = false;
  }
  if (mixed && !ordered) out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return out.map((p) => p.line);
}

/** A time in ms as a normalized line key (nine fractional digits), comparable with line timestamps as text. */
function isoKey(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000000Z');
}
