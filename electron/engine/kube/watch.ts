import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { backoffDelay, createBatcher, sleep } from './backoff';
import { httpStatusOf, isPermanentKubeError, toFuncdeckError } from './errors';
import { healthFor } from './health';
import { kubeWatchTransport, type CollectionQuery, type KubeObject, type RawWatchEvent, type WatchTransport } from './watch-transport';

export type { CollectionQuery, KubeObject, WatchTransport } from './watch-transport';

export interface WatchState {
  /**
   * listing: (re)loading the whole collection; watching: connected; retrying: waiting `retryInMs`
   * after `error`; stalled (watchCollection only): connected, but the cluster stopped answering
   * (its health is down, `error` says why) and no event came since `stalledSince`.
   */
  phase: 'listing' | 'watching' | 'retrying' | 'stalled';
  error?: FuncdeckError;
  retryInMs?: number;
  /** Full lists done so far (1 + relists after 410 Gone). */
  lists: number;
  /** Watch connections opened so far. */
  watches: number;
  /** With phase stalled: when the cluster stopped answering (ms since epoch). */
  stalledSince?: number;
}

export interface BatchInfo {
  resourceVersion: string;
  /** How many full lists the cache went through (changes after a 410 relist). */
  lists: number;
}

export interface WatchOptions<T> {
  signal: AbortSignal;
  /** The whole current set of objects, at most once per `batchMs` (and at once after each full list). */
  onBatch(items: T[], info: BatchInfo): void;
  onState?(state: WatchState): void;
  batchMs?: number;
  backoff?: { initialMs?: number; maxMs?: number };
  /** No event or bookmark for this long means the connection died silently: restart it. */
  inactivityMs?: number;
  /** A watch that gets no response headers within this long is abandoned and retried. */
  connectTimeoutMs?: number;
  keyOf?(obj: T): string;
  /** Called for every event (bookmarks included) and every completed list: data flowed. */
  onActivity?(): void;
}

const defaultKey = (o: KubeObject) => o.metadata?.uid ?? `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

type Outcome = { kind: 'closed'; events: number; lastedMs: number } | { kind: 'gone' };

/**
 * The informer every domain uses (pods, deployments, events, ...): list, then watch from the list's
 * resourceVersion. 410 Gone -> relist. Any other error or close -> resume from the last seen
 * resourceVersion after an exponential backoff (250 ms -> 10 s, reset once events flow). Silence
 * longer than `inactivityMs` (no event, no bookmark) -> restart. 401/403/404 -> reject with a typed
 * error (retrying cannot help). Resolves when `signal` aborts.
 */
export async function runWatch<T extends KubeObject>(transport: WatchTransport<T>, opts: WatchOptions<T>): Promise<void> {
  const { signal } = opts;
  const keyOf = opts.keyOf ?? (defaultKey as (o: T) => string);
  const inactivityMs = opts.inactivityMs ?? 75_000;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 15_000;
  const cache = new Map<string, T>();
  let resourceVersion: string | null = null;
  const state: WatchState = { phase: 'listing', lists: 0, watches: 0 };
  const setState = (next: Partial<WatchState>) => {
    Object.assign(state, { error: undefined, retryInMs: undefined }, next);
    opts.onState?.({ ...state });
  };
  const batcher = createBatcher(opts.batchMs ?? 150, () => {
    if (!signal.aborted) opts.onBatch([...cache.values()], { resourceVersion: resourceVersion ?? '', lists: state.lists });
  });
  let attempt = 0;

  const watchOnce = (rv: string) =>
    new Promise<Outcome>((resolve, reject) => {
      const started = Date.now();
      let lastActivity = started;
      let events = 0;
      let stop: (() => void) | null = null;
      let finished = false;
      const finish = (err: unknown, outcome?: Outcome) => {
        if (finished) return;
        finished = true;
        clearInterval(check);
        clearTimeout(connectTimer);
        signal.removeEventListener('abort', onAbort);
        stop?.();
        if (err) reject(err);
        else resolve(outcome ?? { kind: 'closed', events, lastedMs: Date.now() - started });
      };
      const onAbort = () => finish(null);
      signal.addEventListener('abort', onAbort, { once: true });
      const check = setInterval(() => {
        if (Date.now() - lastActivity > inactivityMs) {
          finish(new FuncdeckError('TIMEOUT', `The watch got no event or bookmark for ${Math.round(inactivityMs / 1000)} s; reconnecting.`));
        }
      }, Math.max(10, Math.min(5000, inactivityMs / 4)));
      const connectTimer = setTimeout(() => {
        if (!stop) finish(new FuncdeckError('CLUSTER_UNREACHABLE', `The API server did not answer the watch within ${connectTimeoutMs / 1000} s; retrying.`));
      }, connectTimeoutMs);

      const onEvent = (e: RawWatchEvent<T>) => {
        if (finished) return;
        lastActivity = Date.now();
        events++;
        attempt = 0; // the connection works: the next failure starts over at the shortest backoff
        opts.onActivity?.();
        const obj = e.object;
        switch (e.type) {
          case 'ADDED':
          case 'MODIFIED':
            cache.set(keyOf(obj), obj);
            resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
            batcher.mark();
            break;
          case 'DELETED':
            cache.delete(keyOf(obj));
            resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
            batcher.mark();
            break;
          case 'BOOKMARK':
            resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
            break;
          case 'ERROR': {
            const status = obj as unknown as { code?: number; message?: string };
            if (status.code === 410) finish(null, { kind: 'gone' });
            else finish(Object.assign(new Error(status.message ?? 'watch error'), { statusCode: status.code, body: status }));
            break;
          }
        }
      };
      transport
        .watch(rv, onEvent, (err) => {
          if (err && httpStatusOf(err) === 410) finish(null, { kind: 'gone' });
          else finish(err ?? null);
        })
        .then(
          (close) => {
            stop = close;
            lastActivity = Date.now();
            if (finished) close();
          },
          (err) => finish(err),
        );
    });

  try {
    while (!signal.aborted) {
      try {
        if (resourceVersion === null) {
          setState({ phase: 'listing' });
          const listed = await transport.list(signal);
          if (signal.aborted) break;
          cache.clear();
          for (const item of listed.items) cache.set(keyOf(item), item);
          resourceVersion = listed.resourceVersion;
          state.lists++;
          attempt = 0; // data flowed: the next failure starts over at the shortest backoff
          opts.onActivity?.();
          batcher.now();
        }
        state.watches++;
        setState({ phase: 'watching' });
        const outcome = await watchOnce(resourceVersion);
        if (signal.aborted) break;
        if (outcome.kind === 'gone') {
          resourceVersion = null; // history compacted past our version: reload everything
          continue;
        }
        // A clean close is the server's watch timeout: resume at once, unless it closes right away every time.
        if (outcome.events > 0 || outcome.lastedMs > 5000) continue;
        throw new FuncdeckError('CLUSTER_UNREACHABLE', 'The API server closed the watch at once; retrying.');
      } catch (e) {
        if (signal.aborted) break;
        if (httpStatusOf(e) === 410) {
          resourceVersion = null;
          continue;
        }
        const error = toFuncdeckError(e, { verb: 'watch', resource: 'objects' });
        if (isPermanentKubeError(e) || isPermanentKubeError(error)) throw error;
        const delay = backoffDelay(attempt++, opts.backoff);
        setState({ phase: 'retrying', error, retryInMs: delay });
        await sleep(delay, signal);
      }
    }
  } finally {
    batcher.cancel();
  }
}

/**
 * runWatch against a real collection, e.g. `watchCollection(kc, { path: '/api/v1/namespaces/x/pods' }, {...})`.
 * While it runs, the context's health is checked every few seconds; a watch that is connected but
 * hears nothing while the cluster does not answer is reported as `stalled` (within ~6 s), and as
 * `watching` again once the cluster answers or an event comes.
 */
export async function watchCollection<T extends KubeObject>(kc: KubeConfig, query: CollectionQuery, opts: WatchOptions<T>): Promise<void> {
  const health = healthFor(kc);
  if (!health) return runWatch(kubeWatchTransport<T>(kc, query), opts);
  health.keepChecking(kc, opts.signal);
  let last: WatchState | null = null;
  let forwarded: WatchState | null = null;
  let stalledShown = false;
  let lastActivity = 0;
  const report = () => {
    if (!last || !opts.onState) return;
    const v = health.view();
    if (last.phase === 'watching' && v.state === 'down' && lastActivity < v.since) {
      if (!stalledShown) opts.onState({ ...last, phase: 'stalled', error: v.error ?? undefined, stalledSince: v.since });
      stalledShown = true;
      return;
    }
    // Each state of the watcher once, and the state again after a stall ends.
    if (forwarded === last && !stalledShown) return;
    forwarded = last;
    stalledShown = false;
    opts.onState(last);
  };
  const off = health.subscribe(report);
  try {
    await runWatch(kubeWatchTransport<T>(kc, query), {
      ...opts,
      onState: (s) => {
        last = s;
        report();
      },
      onActivity: () => {
        lastActivity = Date.now();
        opts.onActivity?.();
        if (stalledShown) report();
      },
    });
  } finally {
    off();
  }
}
