import { TextDecoder } from 'node:util';
import { INVOKE_DISPLAY_LIMIT_BYTES, type InvokeProgress } from '../../../shared/contract/invoke';
import { isTextual } from './body';

/** Chunks that arrive closer together than this are joined into one event (a chatty stream must not flood the UI). */
export const PROGRESS_INTERVAL_MS = 50;

type Emit = (event: InvokeProgress) => void;

/**
 * Connects invoke.send calls to the invoke.progress subscriptions that watch them, by key. A
 * subscription lives until its call has finished (or the UI unsubscribes).
 */
export class ProgressHub {
  private watchers = new Map<string, Set<{ emit: Emit; done(): void }>>();

  /** Resolves when the call with this key has finished, or `signal` aborts. */
  watch(key: string, emit: Emit, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const w = { emit, done: () => resolve() };
      let set = this.watchers.get(key);
      if (!set) this.watchers.set(key, (set = new Set()));
      set.add(w);
      const stop = () => {
        set.delete(w);
        if (set.size === 0 && this.watchers.get(key) === set) this.watchers.delete(key);
        resolve();
      };
      if (signal.aborted) stop();
      signal.addEventListener('abort', stop, { once: true });
      w.done = stop;
    });
  }

  /** A reporter for one call: events go to whoever watches `key` (no one: nothing is kept). */
  reporter(key: string | undefined, displayLimit = INVOKE_DISPLAY_LIMIT_BYTES, intervalMs = PROGRESS_INTERVAL_MS): ProgressReporter {
    const emit: Emit = (e) => {
      if (!key) return;
      for (const w of this.watchers.get(key) ?? []) w.emit(e);
    };
    const finish = () => {
      if (!key) return;
      for (const w of [...(this.watchers.get(key) ?? [])]) w.done();
    };
    return new ProgressReporter(emit, finish, displayLimit, intervalMs);
  }
}

/** Turns one answer's head and body chunks into progress events, joining chunks that come fast. */
export class ProgressReporter {
  private decoder: TextDecoder | null = null;
  private pendingText = '';
  private pendingBytes = 0;
  private pendingShown = 0;
  private received = 0;
  private shown = 0;
  private lastEmit = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private started = 0;

  constructor(
    private emit: Emit,
    private finish: () => void,
    private displayLimit: number,
    private intervalMs: number,
    private now: () => number = () => performance.now(),
  ) {}

  head(e: Extract<InvokeProgress, { type: 'head' }>, startedAt: number, contentType: string | undefined): void {
    this.started = startedAt;
    this.decoder = isTextual(contentType) ? new TextDecoder('utf-8') : null;
    this.emit(e);
  }

  chunk(bytes: Buffer): void {
    const now = this.now();
    this.received += bytes.length;
    this.pendingBytes += bytes.length;
    if (this.decoder && this.shown < this.displayLimit) {
      const room = this.displayLimit - this.shown;
      const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
      this.shown += part.length;
      this.pendingShown += part.length;
      this.pendingText += this.decoder.decode(part, { stream: true });
    }
    if (now - this.lastEmit >= this.intervalMs) this.flush(now);
    else this.timer ??= setTimeout(() => this.flush(this.now()), this.intervalMs - (now - this.lastEmit));
  }

  private flush(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pendingBytes) return;
    this.lastEmit = now;
    this.emit({
      type: 'chunk',
      text: this.pendingShown > 0 ? this.pendingText : null,
      bytes: this.pendingBytes,
      receivedBytes: this.received,
      atMs: Math.max(0, Math.round((now - this.started) * 100) / 100),
    });
    this.pendingText = '';
    this.pendingBytes = 0;
    this.pendingShown = 0;
  }

  /** Sends what is pending and ends the watchers' streams (before the call's result goes out). */
  end(): void {
    this.flush(this.now());
    this.finish();
  }
}
