import { StringDecoder } from 'node:string_decoder';
import type { ApiConnection } from '../kube/api-connection';
import { readAll, seg } from '../kube/api-connection';
import { parseTimestamped, type RawLine } from './line';
import { ResumeCursor } from './resume-cursor';

export type FollowState = 'following' | 'reconnecting' | 'waiting' | 'ended';

/** What the session tells a follower when its stream ended: keep going, or stop for good. */
export type AfterEnd = 'retry' | 'stop';

export interface ContainerFollowOptions {
  conn: ApiConnection;
  namespace: string;
  pod: string;
  container: string;
  /** First connection: the last `tailLines` lines, or (undefined) everything the container printed. */
  tailLines?: number;
  /** Seeded with lines already stored, so the first connection resumes after them instead. */
  cursor?: ResumeCursor;
  onLines(lines: RawLine[]): void;
  onState(state: FollowState, reason: string | null): void;
  /** Asked when a stream ends or fails; the session knows whether the pod still runs. */
  afterEnd(clean: boolean): AfterEnd;
  /** While this returns a promise, reading pauses until it resolves (the store is behind). */
  gate(): Promise<void> | null;
  signal: AbortSignal;
  /** A stream without a byte for this long is replaced by a fresh one (a silently dead connection looks the same as a quiet one). */
  idleMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

/** Statistics a test or the status line can read. */
export interface FollowStats {
  connections: number;
  idleRefreshes: number;
  lines: number;
  replaySkipped: number;
}

/**
 * Follows one container's log with `follow=true&timestamps=true`, for as long as the session says
 * the container may still print. Every end of the stream (error, reset, server close, or no byte for
 * `idleMs`) leads to a new stream from the cursor's sinceTime; its replayed lines are dropped, so
 * no line is lost or doubled.
 */
export async function followContainer(o: ContainerFollowOptions): Promise<FollowStats> {
  const cursor = o.cursor ?? new ResumeCursor();
  const idleMs = o.idleMs ?? 20_000;
  const backoff = o.backoff ?? { initialMs: 250, maxMs: 5000 };
  const stats: FollowStats = { connections: 0, idleRefreshes: 0, lines: 0, replaySkipped: 0 };
  let attempt = 0;
  let first = true;

  while (!o.signal.aborted) {
    const q = new URLSearchParams({ follow: 'true', timestamps: 'true', container: o.container });
    const since = cursor.sinceTime();
    if (since) {
      q.set('sinceTime', since);
      cursor.beginReplay();
    } else if (first && o.tailLines !== undefined) {
      q.set('tailLines', String(o.tailLines));
    }
    first = false;
    const path = `/api/v1/namespaces/${seg(o.namespace)}/pods/${seg(o.pod)}/log?${q}`;
    const seen = stats.lines + stats.replaySkipped;
    const outcome = await readStream(o, path, cursor, idleMs, stats);
    if (o.signal.aborted) break;
    // The connection worked (it ended cleanly, stayed open while quiet, or lines flowed before it
    // failed): the next failure starts over at the shortest delay.
    if (outcome.kind === 'ok' || outcome.kind === 'idle' || stats.lines + stats.replaySkipped > seen) attempt = 0;
    if (outcome.kind === 'idle') {
      stats.idleRefreshes++;
      continue; // a quiet or silently dead stream: replace it at once
    }
    if (outcome.kind === 'gone') {
      o.onState('ended', outcome.reason);
      break;
    }
    const decision = o.afterEnd(outcome.kind === 'ok');
    if (decision === 'stop') {
      o.onState('ended', outcome.kind === 'ok' ? 'container stopped' : outcome.reason);
      break;
    }
    o.onState(outcome.kind === 'waiting' ? 'waiting' : 'reconnecting', outcome.kind === 'ok' ? 'stream closed' : outcome.reason);
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt++);
    await sleep(delay, o.signal);
  }
  return stats;
}

type Outcome = { kind: 'ok' } | { kind: 'idle' } | { kind: 'error'; reason: string } | { kind: 'waiting'; reason: string } | { kind: 'gone'; reason: string };

async function readStream(o: ContainerFollowOptions, path: string, cursor: ResumeCursor, idleMs: number, stats: FollowStats): Promise<Outcome> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  o.signal.addEventListener('abort', onAbort, { once: true });
  let idleTimer: NodeJS.Timeout | undefined;
  let idled = false;
  // An API server that accepted the connection but is frozen would hold the request for ever.
  let unanswered = false;
  const answerTimer = setTimeout(() => {
    unanswered = true;
    controller.abort();
  }, idleMs);
  try {
    stats.connections++;
    const res = await o.conn.request({ path, signal: controller.signal });
    clearTimeout(answerTimer);
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const body = (await readAll(res, 1024 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
      const reason = statusReason(body) ?? `HTTP ${status}`;
      if (status === 404) return { kind: 'gone', reason };
      if (status === 400 && /waiting to start|ContainerCreating|PodInitializing|is terminated/i.test(reason)) return { kind: 'waiting', reason };
      return { kind: 'error', reason };
    }
    o.onState('following', null);
    const decoder = new StringDecoder('utf8');
    let partial = '';
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idled = true;
        controller.abort();
      }, idleMs);
    };
    armIdle();
    for await (const chunk of res as AsyncIterable<Buffer>) {
      armIdle();
      const text = partial + decoder.write(chunk);
      const parts = text.split('\n');
      partial = parts.pop()!;
      const fresh: RawLine[] = [];
      for (const p of parts) {
        const line = parseTimestamped(p);
        if (!line) continue;
        if (cursor.accept(line)) fresh.push(line);
        else stats.replaySkipped++;
      }
      if (fresh.length) {
        stats.lines += fresh.length;
        o.onLines(fresh);
      }
      const wait = o.gate();
      if (wait) {
        clearTimeout(idleTimer);
        await wait; // the socket is not read meanwhile: TCP backpressure reaches the server
        armIdle();
      }
    }
    // A clean end: the container stopped (or the server ended the request). A final line without
    // "\n" is complete only in the first case; a resumed stream would send it again otherwise.
    if (partial && o.afterEnd(true) === 'stop') {
      const line = parseTimestamped(partial);
      if (line && cursor.accept(line)) o.onLines([line]);
    }
    return { kind: 'ok' };
  } catch (e) {
    if (unanswered) return { kind: 'error', reason: `the API server did not answer the log request within ${idleMs / 1000} s` };
    if (idled) return { kind: 'idle' };
    if (o.signal.aborted) return { kind: 'ok' };
    return { kind: 'error', reason: (e as { code?: string }).code ?? (e as Error).message };
  } finally {
    clearTimeout(answerTimer);
    clearTimeout(idleTimer);
    o.signal.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

function statusReason(body: string): string | undefined {
  try {
    const s = JSON.parse(body) as { message?: string };
    return s.message;
  } catch {
    return body.trim().slice(0, 300) || undefined;
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
