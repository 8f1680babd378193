import { functionSelector } from '../deploy/names';
import { LOGS_MAX_TAIL, type LogFollowStatus, type LogLine, type LogPodState } from '../../../shared/contract/logs';
import type { ApiConnection } from '../kube/api-connection';
import type { ClusterTarget } from '../kube/access';
import { watchCollection } from '../kube/watch';
import { healthFor, type ContextHealth } from '../kube/health';
import { followContainer, type FollowState, type FollowStats } from './container-follow';
import { requestIdOf, type RawLine } from './line';
import { LogBatcher } from './batcher';
import { containersOf, podIsDone, podName, type PodLike } from './pods';
import { ResumeCursor } from './resume-cursor';
import { deliver, type LogSubscriber } from './feed';

export type { LogSubscriber } from './feed';
import type { LogStore } from './store';

export interface SessionOptions {
  target: Pick<ClusterTarget, 'kc' | 'namespace'>;
  conn: ApiConnection;
  store: LogStore;
  fn: string;
  /** Lines of each already-running container fetched when the session starts. */
  tailLines: number;
  signal: AbortSignal;
  idleMs?: number;
}

interface Follower {
  key: string;
  pod: string;
  container: string;
  revision: string | null;
  state: FollowState;
  reason: string | null;
  finished: boolean;
  done: Promise<FollowStats>;
}

/**
 * Follows every container of every pod of one function (pods from a label-selected watch, so new
 * pods are picked up and deleted ones let go), merges their lines by timestamp, numbers and stores
 * every line, and fans batches out to the subscribers. One session per function is shared by all
 * its subscribers, so the store never gets a line twice.
 */
export class LogSession {
  private readonly batcher = new LogBatcher<Omit<LogLine, 'seq'>>({ emit: (lines) => this.emit(lines), following: () => this.followingStreams() });
  private readonly followers = new Map<string, Follower>();
  private readonly pods = new Map<string, PodLike>();
  private readonly waiting = new Map<string, LogPodState>();
  private readonly subscribers = new Set<LogSubscriber>();
  private readonly controller = new AbortController();
  private ring: LogLine[] = [];
  private resumePoints = new Map<string, RawLine[]>();
  private firstBatch = true;
  private watchReconnecting = false;
  private statusDirty = true;
  private stopped = false;
  private watchError: unknown = null;
  /** The cluster's health (kube/health): "stalled" is its outage with no line since it began. */
  private readonly health: ContextHealth | null;
  private lastLineAt = 0;
  private stalledShown = false;
  readonly ready: Promise<void>;
  readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  /** Totals since start, for tests and diagnostics. */
  readonly stats = { received: 0, stored: 0, dropped: 0, connections: 0, idleRefreshes: 0, replaySkipped: 0 };

  /** Stops the session when the target goes; removed on stop, since the target outlives many sessions. */
  private readonly onTargetAbort = () => void this.stop();

  constructor(private readonly o: SessionOptions) {
    this.finished = new Promise((r) => (this.resolveFinished = r));
    o.signal.addEventListener('abort', this.onTargetAbort, { once: true });
    this.health = healthFor(o.target.kc);
    if (this.health) {
      // Checked every few seconds while the session lives, so a silent API server is noticed.
      this.health.keepChecking(o.target.kc, this.controller.signal);
      const off = this.health.subscribe(() => this.markStatus());
      this.controller.signal.addEventListener('abort', off, { once: true });
    }
    this.ready = this.start();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get error(): unknown {
    return this.watchError;
  }

  private async start(): Promise<void> {
    await this.o.store.open();
    this.resumePoints = await this.o.store.resumePoints();
    this.ring = (await this.o.store.query({ limit: LOGS_MAX_TAIL })).lines;
    if (this.controller.signal.aborted) return;
    const ns = this.o.target.namespace;
    watchCollection<PodLike>(
      this.o.target.kc,
      { path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, labelSelector: functionSelector(this.o.fn), resource: 'pods', namespace: ns, timeoutSeconds: 240 },
      {
        signal: this.controller.signal,
        batchMs: 100,
        onBatch: (items) => this.onPods(items),
        onState: (s) => {
          const r = s.phase === 'retrying';
          if (r !== this.watchReconnecting) {
            this.watchReconnecting = r;
            this.markStatus();
          }
        },
      },
    ).catch((e: unknown) => {
      this.watchError = e;
      void this.stop();
    });
  }

  private onPods(items: PodLike[]): void {
    if (this.stopped) return;
    const initial = this.firstBatch;
    this.firstBatch = false;
    this.pods.clear();
    for (const p of items) this.pods.set(podName(p), p);
    const waiting = new Map<string, LogPodState>();
    for (const p of items) {
      for (const c of containersOf(p)) {
        const key = `${c.pod}/${c.container}`;
        if (this.followers.has(key)) continue;
        if (c.phase === 'waiting' && !(p.status?.containerStatuses ?? []).some((s) => s.name === c.container && s.restartCount)) {
          waiting.set(key, { pod: c.pod, revision: c.revision, state: 'waiting', reason: c.reason });
          continue;
        }
        this.startFollower(c.pod, c.container, c.revision, initial);
      }
    }
    // Finished followers of pods that are gone now: forget them (a live one ends by itself).
    for (const [k, f] of this.followers) if (f.finished && !this.pods.has(f.pod)) this.followers.delete(k);
    if (!sameStates(waiting, this.waiting)) {
      this.waiting.clear();
      for (const [k, v] of waiting) this.waiting.set(k, v);
    }
    this.markStatus();
  }

  private startFollower(pod: string, container: string, revision: string | null, initial: boolean): void {
    const key = `${pod}/${container}`;
    const stored = this.resumePoints.get(key);
    let cursor: ResumeCursor | undefined;
    if (stored?.length) {
      cursor = new ResumeCursor();
      cursor.seed(stored);
    }
    const f: Follower = { key, pod, container, revision, state: 'reconnecting', reason: 'connecting', finished: false, done: Promise.resolve(emptyStats()) };
    this.followers.set(key, f);
    f.done = followContainer({
      conn: this.o.conn,
      namespace: this.o.target.namespace,
      pod,
      container,
      // Containers already running when the user opened the logs: their last lines; later ones: everything.
      tailLines: initial ? this.o.tailLines : undefined,
      cursor,
      signal: this.controller.signal,
      idleMs: this.o.idleMs,
      onLines: (lines) => this.onLines(f, lines),
      onState: (state, reason) => {
        if (f.state !== state || f.reason !== reason) {
          f.state = state;
          f.reason = reason;
          this.markStatus();
        }
      },
      afterEnd: () => (podIsDone(this.pods.get(pod), container) ? 'stop' : 'retry'),
      gate: () => (this.o.store.busy ? this.o.store.whenReady() : null),
    }).then((stats) => {
      f.finished = true;
      this.stats.connections += stats.connections;
      this.stats.idleRefreshes += stats.idleRefreshes;
      this.stats.replaySkipped += stats.replaySkipped;
      // Keep the entry while its pod exists, so a finished container is not followed again.
      if (!this.pods.has(pod)) this.followers.delete(key);
      this.markStatus();
      return stats;
    });
  }

  private onLines(f: Follower, lines: RawLine[]): void {
    for (const l of lines) {
      this.batcher.push(f.key, l.ts, { ts: l.ts, pod: f.pod, revision: f.revision, container: f.container, requestId: requestIdOf(l.text), text: l.text });
    }
    this.stats.received += lines.length;
    this.lastLineAt = Date.now();
    if (this.stalledShown) this.markStatus();
    this.schedule();
  }

  /** The cluster stopped answering and no line came since: the streams are stalled, however connected they look. */
  private stalled(): LogFollowStatus['stalled'] {
    const v = this.health?.view();
    if (!v || v.state !== 'down' || this.lastLineAt >= v.since) return null;
    return { since: new Date(v.since).toISOString(), reason: v.error?.message ?? `The API server ${v.server} does not answer.` };
  }

  private markStatus(): void {
    this.statusDirty = true;
    this.schedule();
  }

  /** The streams connected now (their lines are merged by timestamp). */
  private followingStreams(): string[] {
    const keys: string[] = [];
    for (const f of this.followers.values()) if (f.state === 'following') keys.push(f.key);
    return keys;
  }

  /** The batcher decides when (see batcher.ts). */
  private schedule(): void {
    this.batcher.schedule();
  }

  /** Numbers and stores the lines the batcher released, and sends them (and a changed status) to every subscriber. */
  private emit(released: Array<Omit<LogLine, 'seq'>>): void {
    const numbered = this.o.store.append(released);
    this.stats.stored += numbered.length;
    if (numbered.length) {
      this.ring.push(...numbered);
      if (this.ring.length > LOGS_MAX_TAIL * 2) this.ring = this.ring.slice(-LOGS_MAX_TAIL);
    }
    const status = this.statusDirty ? this.status() : undefined;
    this.statusDirty = false;
    if (numbered.length || status) for (const s of this.subscribers) deliver(s, numbered, status, this.stats);
  }

  status(): LogFollowStatus {
    const pods: LogPodState[] = [];
    for (const f of this.followers.values()) {
      const gone = !this.pods.has(f.pod);
      pods.push({ pod: f.pod, revision: f.revision, state: gone && f.state !== 'following' ? 'ended' : f.state, reason: gone ? 'pod deleted' : f.reason });
    }
    for (const w of this.waiting.values()) pods.push(w);
    pods.sort((a, b) => a.pod.localeCompare(b.pod));
    const live = pods.some((p) => p.state !== 'ended');
    const message = this.stopped
      ? null
      : !live
        ? `No pod of "${this.o.fn}" is running; its stored lines stay readable, and new lines appear here when a pod starts.`
        : this.o.store.lastError;
    const stalled = this.stopped ? null : this.stalled();
    this.stalledShown = stalled !== null;
    return { pods, reconnecting: this.watchReconnecting, message, stalled };
  }

  /** Adds a subscriber: it first gets the last `tailLines` lines (of its revision) and the status. */
  async attach(sub: LogSubscriber, tailLines: number): Promise<() => void> {
    await this.ready;
    const tail = tailLines === 0 ? [] : this.ring.filter((l) => !sub.revision || l.revision === sub.revision).slice(-tailLines);
    deliver(sub, tail, this.status(), this.stats);
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Stops every stream and timer, stores what is still held, and waits until it is on disk. */
  async stop(): Promise<void> {
    if (this.stopped) return this.finished;
    this.stopped = true;
    this.o.signal.removeEventListener('abort', this.onTargetAbort);
    this.controller.abort();
    this.batcher.stop();
    await this.ready.catch(() => undefined);
    await Promise.allSettled([...this.followers.values()].map((f) => f.done));
    this.batcher.flush(true);
    await this.o.store.flushed();
    this.resolveFinished();
  }
}

function sameStates(a: Map<string, LogPodState>, b: Map<string, LogPodState>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const o = b.get(k);
    if (!o || o.state !== v.state || o.reason !== v.reason) return false;
  }
  return true;
}

const emptyStats = (): FollowStats => ({ connections: 0, idleRefreshes: 0, lines: 0, replaySkipped: 0 });

