/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s ... capped (10 s by default). */
export function backoffDelay(attempt: number, opts: { initialMs?: number; maxMs?: number; jitter?: number } = {}): number {
  const initial = opts.initialMs ?? 250;
  const max = opts.maxMs ?? 10_000;
  const base = Math.min(max, initial * 2 ** Math.max(0, Math.min(attempt, 30)));
  // Jitter spreads reconnects of many watches after an API server restart; never above the cap.
  const jitter = opts.jitter ?? 0.2;
  return Math.round(Math.min(max, base * (1 - jitter / 2 + Math.random() * jitter)));
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Coalesces "something changed" into at most one call every `intervalMs` (the first change waits
 * `intervalMs` too, so a burst becomes one call). `now()` flushes at once, e.g. after a full list.
 */
export function createBatcher(intervalMs: number, flush: () => void) {
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  const run = () => {
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    flush();
  };
  return {
    mark() {
      dirty = true;
      timer ??= setTimeout(run, intervalMs);
    },
    now() {
      clearTimeout(timer);
      timer = undefined;
      dirty = true;
      run();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      dirty = false;
    },
  };
}
