import { describe, expect, it } from 'vitest';
import { FuncdeckError } from '../../../shared/contract/errors';
import { backoffDelay } from './backoff';
import { runWatch, type WatchState } from './watch';
import type { KubeObject, RawWatchEvent, WatchTransport } from './watch-transport';

const obj = (name: string, rv: string): KubeObject => ({ metadata: { name, uid: name, resourceVersion: rv } });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A scripted API: each list/watch call takes the next step from its queue. */
function fakeTransport() {
  const log: string[] = [];
  const lists: Array<() => Promise<{ items: KubeObject[]; resourceVersion: string }>> = [];
  type Conn = { emit(e: RawWatchEvent<KubeObject>): void; done(err: unknown): void; closed: boolean; rv: string };
  const conns: Conn[] = [];
  let onConn: ((c: Conn) => void) | null = null;
  const watchErrors: unknown[] = [];
  const transport: WatchTransport<KubeObject> = {
    async list() {
      log.push('list');
      const next = lists.shift();
      if (!next) throw new Error('unexpected list');
      return next();
    },
    async watch(rv, onEvent, onDone) {
      log.push(`watch@${rv}`);
      const err = watchErrors.shift();
      if (err) {
        onDone(err);
        return () => undefined;
      }
      const c: Conn = { emit: onEvent, done: onDone, closed: false, rv };
      conns.push(c);
      onConn?.(c);
      return () => {
        c.closed = true;
      };
    },
  };
  const nextConn = () => new Promise<Conn>((resolve) => (onConn = (c) => ((onConn = null), resolve(c))));
  return { transport, log, lists, conns, nextConn, watchErrors };
}

function collect() {
  const batches: string[][] = [];
  const states: WatchState[] = [];
  return {
    batches,
    states,
    onBatch: (items: KubeObject[]) => batches.push(items.map((i) => i.metadata!.name!).sort()),
    onState: (s: WatchState) => states.push(s),
  };
}

const fast = { batchMs: 20, backoff: { initialMs: 5, maxMs: 40 } };

describe('runWatch', () => {
  it('lists, applies watch events to the cache and batches them into one callback', async () => {
    const f = fakeTransport();
    f.lists.push(async () => ({ items: [obj('a', '1')], resourceVersion: '10' }));
    const c = collect();
    const ac = new AbortController();
    const conn = f.nextConn();
    const done = runWatch(f.transport, { ...fast, signal: ac.signal, onBatch: c.onBatch });
    const w = await conn;
    expect(w.rv).toBe('10');
    expect(c.batches).toEqual([['a']]);
    w.emit({ type: 'ADDED', object: obj('b', '11') });
    w.emit({ type: 'MODIFIED', object: obj('a', '12') });
    w.emit({ type: 'DELETED', object: obj('a', '13') });
    w.emit({ type: 'ADDED', object: obj('c', '14') });
    await wait(60);
    expect(c.batches).toEqual([['a'], ['b', 'c']]); // four events, one batch
    ac.abort();
    await done;
    expect(w.closed).toBe(true);
  });

  it('relists on 410 Gone (as an ERROR event and as an HTTP status) and replaces the cache', async () => {
    const f = fakeTransport();
    f.lists.push(async () => ({ items: [obj('a', '1'), obj('gone-later', '2')], resourceVersion: '10' }));
    f.lists.push(async () => ({ items: [obj('a', '30')], resourceVersion: '30' }));
    f.lists.push(async () => ({ items: [obj('z', '40')], resourceVersion: '40' }));
    const c = collect();
    const ac = new AbortController();
    let conn = f.nextConn();
    const done = runWatch(f.transport, { ...fast, signal: ac.signal, onBatch: c.onBatch, onState: c.onState });
    (await conn).emit({ type: 'BOOKMARK', object: obj('', '20') });
    conn = f.nextConn();
    f.conns[0]!.emit({ type: 'ERROR', object: { code: 410, message: 'too old resource version' } as unknown as KubeObject });
    const second = await conn;
    expect(second.rv).toBe('30');
    expect(c.batches.at(-1)).toEqual(['a']);
    conn = f.nextConn();
    second.done(Object.assign(new Error('Gone'), { statusCode: 410 }));
    expect((await conn).rv).toBe('40');
    expect(c.batches.at(-1)).toEqual(['z']);
    expect(f.log).toEqual(['list', 'watch@10', 'list', 'watch@30', 'list', 'watch@40']);
    expect(c.states.at(-1)?.lists).toBe(3);
    ac.abort();
    await done;
  });

  it('resumes from the last resourceVersion after an error or a close, with growing backoff reset by events', async () => {
    const f = fakeTransport();
    f.lists.push(async () => ({ items: [], resourceVersion: '5' }));
    f.watchErrors.push(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    f.watchErrors.push(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const c = collect();
    const ac = new AbortController();
    let conn = f.nextConn();
    const done = runWatch(f.transport, { ...fast, signal: ac.signal, onBatch: c.onBatch, onState: c.onState });
    const w = await conn;
    const retries = c.states.filter((s) => s.phase === 'retrying');
    expect(retries.map((s) => s.error?.code)).toEqual(['CLUSTER_UNREACHABLE', 'CLUSTER_UNREACHABLE']);
    expect(retries[1]!.retryInMs!).toBeGreaterThan(retries[0]!.retryInMs!);
    w.emit({ type: 'ADDED', object: obj('x', '7') });
    conn = f.nextConn();
    w.done(new Error('socket hang up'));
    const resumed = await conn;
    expect(resumed.rv).toBe('7'); // no relist: resumes where it left off
    expect(f.log.filter((l) => l === 'list')).toHaveLength(1);
    const last = c.states.filter((s) => s.phase === 'retrying').at(-1)!;
    expect(last.retryInMs!).toBeLessThanOrEqual(6); // backoff was reset by the event
    ac.abort();
    await done;
  });

  it('restarts a watch that goes silent (no event, no bookmark) after inactivityMs', async () => {
    const f = fakeTransport();
    f.lists.push(async () => ({ items: [], resourceVersion: '5' }));
    const ac = new AbortController();
    let conn = f.nextConn();
    const c = collect();
    const done = runWatch(f.transport, { ...fast, inactivityMs: 80, signal: ac.signal, onBatch: c.onBatch, onState: c.onState });
    const silent = await conn;
    conn = f.nextConn();
    const t0 = Date.now();
    const next = await conn;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
    expect(silent.closed).toBe(true);
    expect(next.rv).toBe('5');
    expect(c.states.some((s) => s.error?.code === 'TIMEOUT')).toBe(true);
    ac.abort();
    await done;
  });

  it('stops without retrying on 401/403/404 with a typed error', async () => {
    for (const [status, code] of [
      [401, 'UNAUTHORIZED'],
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
    ] as const) {
      const f = fakeTransport();
      f.lists.push(async () => ({ items: [], resourceVersion: '5' }));
      f.watchErrors.push(Object.assign(new Error('no'), { statusCode: status }));
      const err = await runWatch(f.transport, { ...fast, signal: new AbortController().signal, onBatch: () => undefined }).catch((e) => e);
      expect(err).toBeInstanceOf(FuncdeckError);
      expect(err.code).toBe(code);
      expect(f.log).toEqual(['list', 'watch@5']);
    }
    const f = fakeTransport();
    f.lists.push(async () => {
      throw new FuncdeckError('FORBIDDEN', 'You are not allowed to list pods');
    });
    await expect(runWatch(f.transport, { ...fast, signal: new AbortController().signal, onBatch: () => undefined })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('retries a failing list with backoff and stops at once on abort', async () => {
    const f = fakeTransport();
    for (let i = 0; i < 50; i++) f.lists.push(async () => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })));
    const ac = new AbortController();
    const c = collect();
    let t0 = 0;
    // Abort just as a long wait (>= 300 ms) begins: stopping "at once" is then far from waiting it out.
    const onState = (s: WatchState) => {
      c.onState(s);
      if (s.phase === 'retrying' && s.retryInMs! >= 300 && !t0) {
        t0 = Date.now();
        ac.abort();
      }
    };
    const done = runWatch(f.transport, { ...fast, backoff: { initialMs: 5, maxMs: 2000 }, signal: ac.signal, onBatch: c.onBatch, onState });
    await done;
    expect(t0).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(150);
    const n = f.log.length;
    expect(n).toBeGreaterThan(2);
    expect(n).toBeLessThan(15); // backoff, not a busy loop
    await wait(60);
    expect(f.log.length).toBe(n);
  });
});

describe('backoffDelay', () => {
  it('doubles from 250 ms and caps at 10 s', () => {
    const d = (a: number) => backoffDelay(a, { jitter: 0 });
    expect([0, 1, 2, 3, 5, 6, 20].map(d)).toEqual([250, 500, 1000, 2000, 8000, 10000, 10000]);
    for (let i = 0; i < 100; i++) expect(backoffDelay(10)).toBeLessThanOrEqual(10_000);
  });
});

describe('runWatch backoff', () => {
  it('starts again at the shortest delay once a list brought data, however many failures came before', async () => {
    const f = fakeTransport();
    const refused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    for (let i = 0; i < 6; i++) f.lists.push(refused);
    f.lists.push(async () => ({ items: [obj('a', '1')], resourceVersion: '10' }));
    f.watchErrors.push(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    const c = collect();
    const ac = new AbortController();
    const conn = f.nextConn();
    const t0 = performance.now();
    const done = runWatch(f.transport, { batchMs: 20, backoff: { initialMs: 20, maxMs: 640 }, signal: ac.signal, onBatch: c.onBatch, onState: c.onState });
    await conn;
    ac.abort();
    await done;
    const delays = c.states.filter((s) => s.phase === 'retrying').map((s) => s.retryInMs!);
    expect(delays).toHaveLength(7);
    expect(Math.max(...delays.slice(0, 6))).toBeGreaterThanOrEqual(500); // the refusals climbed towards the cap
    expect(delays[6]).toBeLessThan(40); // the watch's failure after a good list: the shortest delay again
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 20_000);
});
