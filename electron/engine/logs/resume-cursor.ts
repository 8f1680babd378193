import { keyOfSecond, secondsBefore, type RawLine } from './line';

/** Lines this close to the newest one (in whole seconds) are remembered to recognise a replay. */
const WINDOW_SECONDS = 1;

/**
 * Where one container's log stream is, so a new stream can take over without losing or doubling a
 * line. The log API's sinceTime has whole-second precision, so a resumed stream starts at the
 * second before the last line seen and replays a little; every line of that window was remembered
 * (as a multiset of timestamp+text) and is skipped once when it comes again. Lines not seen before
 * (the ones the dead stream never delivered) pass.
 */
export class ResumeCursor {
  private last: string | null = null;
  /** Remembered lines in arrival order (about time order), pruned from the front. */
  private window: Array<{ ts: string; id: string }> = [];
  private head = 0;
  private counts = new Map<string, number>();
  private replay: Map<string, number> | null = null;
  private replayUntil = '';
  private replayFrom = '';
  private cutoffFor = '';
  private cutoff = '';

  /** The newest timestamp seen, or null before the first line. */
  get lastTs(): string | null {
    return this.last;
  }

  /** sinceTime for a resumed stream, or null when no line was seen yet (start from the beginning). */
  sinceTime(): string | null {
    return this.last ? secondsBefore(this.last, WINDOW_SECONDS) : null;
  }

  /** Call before reading a resumed stream (one opened with sinceTime()). */
  beginReplay(): void {
    if (!this.last) return;
    this.replay = new Map(this.counts);
    this.replayUntil = this.last;
    this.replayFrom = keyOfSecond(secondsBefore(this.last, WINDOW_SECONDS));
  }

  /** Seeds the cursor with lines already kept elsewhere (the local store), as if they had been read. */
  seed(lines: Iterable<RawLine>): void {
    for (const l of lines) this.remember(l.ts, idOf(l));
  }

  /** True when the line is new; false for a replayed duplicate. */
  accept(line: RawLine): boolean {
    const id = idOf(line);
    if (this.replay) {
      if (line.ts < this.replayFrom) return false;
      if (line.ts <= this.replayUntil) {
        const n = this.replay.get(id);
        if (n) {
          if (n === 1) this.replay.delete(id);
          else this.replay.set(id, n - 1);
          return false;
        }
      } else {
        this.replay = null;
      }
    }
    this.remember(line.ts, id);
    return true;
  }

  private remember(ts: string, id: string): void {
    if (this.last === null || ts > this.last) this.last = ts;
    this.window.push({ ts, id });
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    const second = this.last.slice(0, 19);
    if (second !== this.cutoffFor) {
      this.cutoffFor = second;
      this.cutoff = keyOfSecond(secondsBefore(this.last, WINDOW_SECONDS));
    }
    const cutoff = this.cutoff;
    while (this.head < this.window.length && this.window[this.head]!.ts < cutoff) {
      const old = this.window[this.head++]!;
      const n = this.counts.get(old.id)!;
      if (n <= 1) this.counts.delete(old.id);
      else this.counts.set(old.id, n - 1);
    }
    if (this.head > 4096 && this.head * 2 > this.window.length) {
      this.window = this.window.slice(this.head);
      this.head = 0;
    }
  }
}

const idOf = (l: RawLine) => `${l.ts}\u0000${l.text}`;
