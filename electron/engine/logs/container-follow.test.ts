import { PassThrough } from 'node:stream';
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ApiConnection } from '../kube/api-connection';
import { followContainer } from './container-follow';
import type { RawLine } from './line';

const T0 = Date.UTC(2026, 10, 22, 4, 0, 0, 0);
/** The kubelet's format: trailing zeros of the fraction trimmed. */
const kubeletTs = (ms: number) => new Date(T0 + ms).toISOString().replace(/\.?0+Z$/, 'Z');

type Fault = { after: number; kind: 'stall' | 'reset' | 'close' } | null;

/**
 * A fake log API for one container: `total` lines written at `rate` lines/ms, served with
 * follow/sinceTime/tailLines semantics; each connection may stall (stay open, send nothing),
 * be reset, or be closed cleanly after `after` lines.
 */
function fakeLogApi(total: number, faults: Fault[]) {
  const started = Date.now();
  const written = () => Math.min(total, Math.floor((Date.now() - started) * 2)); // 2 lines/ms
  const lineAt = (i: number) => `${kubeletTs(i)} line ${i + 1}\n`;
  let n = 0;
  const conn: ApiConnection = {
    server: 'fake',
    destroy() {},
    async request({ path, signal }) {
      const fault = faults[n++] ?? null;
      const q = new URL(path, 'http://x').searchParams;
      let from = 0;
      const since = q.get('sinceTime');
      if (since) from = Math.max(0, Date.parse(since) - T0);
      else if (q.get('tailLines')) from = Math.max(0, written() - Number(q.get('tailLines')));
      const res = new PassThrough() as unknown as http.IncomingMessage & PassThrough;
      res.statusCode = 200;
      let sent = 0;
      let i = from;
      const timer = setInterval(() => {
        if (fault && sent >= fault.after) {
          if (fault.kind === 'stall') return;
          clearInterval(timer);
          if (fault.kind === 'reset') res.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
          else res.end(); // server closed the request although the container still runs
          return;
        }
        let out = '';
        const until = Math.min(written(), i + 97);
        for (; i < until; i++, sent++) out += lineAt(i);
        // a line split across chunks
        if (out) {
          res.write(out.slice(0, out.length - 5));
          res.write(out.slice(-5));
        }
        if (i >= total) {
          clearInterval(timer);
          res.end();
        }
      }, 2);
      signal?.addEventListener('abort', () => {
        clearInterval(timer);
        res.destroy();
      });
      return res;
    },
  };
  return { conn, connections: () => n, done: () => written() >= total };
}

async function run(total: number, faults: Fault[], tailLines?: number) {
  const api = fakeLogApi(total, faults);
  const got: RawLine[] = [];
  const controller = new AbortController();
  const stats = await followContainer({
    conn: api.conn,
    namespace: 'ns',
    pod: 'p',
    container: 'c',
    tailLines,
    onLines: (l) => got.push(...l),
    onState: () => undefined,
    afterEnd: () => (api.done() ? 'stop' : 'retry'),
    gate: () => null,
    signal: controller.signal,
    idleMs: 150,
    backoff: { initialMs: 5, maxMs: 20 },
  });
  return { got, stats };
}

const numbers = (lines: RawLine[]) => lines.map((l) => Number(l.text.split(' ')[1]));
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('followContainer', () => {
  it('reads every line once through resets, clean closes and silently stalled streams', async () => {
    const { got, stats } = await run(4000, [
      { after: 500, kind: 'reset' },
      { after: 700, kind: 'stall' },
      { after: 300, kind: 'close' },
      { after: 900, kind: 'stall' },
      { after: 50, kind: 'reset' },
    ]);
    expect(numbers(got)).toEqual(range(1, 4000));
    expect(stats.idleRefreshes).toBeGreaterThanOrEqual(2);
    expect(stats.connections).toBeGreaterThanOrEqual(6);
    expect(stats.replaySkipped).toBeGreaterThan(0);
    expect(got[0]!.ts).toBe('2026-11-22T04:00:00.000000000Z');
  });

  it('starts with the last N lines when asked', async () => {
    const { got } = await run(100, [], 0);
    // the log is written over ~50 ms; with tailLines=0 the lines written before connecting are skipped
    expect(got.length).toBeLessThanOrEqual(100);
    expect(numbers(got)).toEqual(range(100 - got.length + 1, 100));
  });
});

describe('followContainer reconnect backoff', () => {
  it('starts again at the shortest delay once data flowed, however many failures came before', async () => {
    // Connections 1-6 are refused (the delay grows to the cap), 7 streams lines then is reset,
    // 8 is refused again, 9 streams the rest and ends.
    const at: number[] = [];
    const conn: ApiConnection = {
      server: 'fake',
      destroy() {},
      async request({ signal }) {
        at.push(performance.now());
        const n = at.length;
        if (n <= 6 || n === 8) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        const res = new PassThrough() as unknown as http.IncomingMessage & PassThrough;
        res.statusCode = 200;
        const from = n === 7 ? 0 : 10;
        let out = '';
        for (let i = from; i < from + 10; i++) out += `${kubeletTs(i)} line ${i + 1}\n`;
        setTimeout(() => {
          res.write(out);
          if (n === 7) setTimeout(() => res.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 20);
          else res.end();
        }, 5);
        signal?.addEventListener('abort', () => res.destroy());
        return res;
      },
    };
    const got: RawLine[] = [];
    await followContainer({
      conn,
      namespace: 'ns',
      pod: 'p',
      container: 'c',
      onLines: (l) => got.push(...l),
      onState: () => undefined,
      afterEnd: () => (at.length >= 9 ? 'stop' : 'retry'),
      gate: () => null,
      signal: AbortSignal.timeout(20_000),
      backoff: { initialMs: 20, maxMs: 640 },
    });
    expect(numbers(got)).toEqual(range(1, 20));
    const gap = (i: number) => at[i]! - at[i - 1]!; // delay before connection i+1
    expect(gap(6)).toBeGreaterThanOrEqual(600); // before: the cap reached after six refusals
    // After connection 7 delivered lines, its failure waits the shortest delay again (not the 640 ms cap).
    expect(gap(7) - 25).toBeLessThan(400);
    expect(gap(8)).toBeLessThan(400);
  }, 30_000);
});

describe('followContainer request deadline', () => {
  it('gives up on a log request the API server accepted but never answers (frozen), and asks again', async () => {
    // Connection 1: no headers ever (until aborted). Connection 2: the lines, then the end.
    let n = 0;
    const states: string[] = [];
    const conn: ApiConnection = {
      server: 'fake',
      destroy() {},
      request({ signal }) {
        n++;
        if (n === 1) {
          return new Promise<http.IncomingMessage>((_resolve, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
        }
        const res = new PassThrough() as unknown as http.IncomingMessage & PassThrough;
        res.statusCode = 200;
        setTimeout(() => res.end(`${kubeletTs(0)} line 1\n`), 5);
        return Promise.resolve(res);
      },
    };
    const got: RawLine[] = [];
    const deadline = AbortSignal.timeout(5000); // far beyond the 200 ms this needs; reached only by a follower that waits for ever
    await followContainer({
      conn,
      namespace: 'ns',
      pod: 'p',
      container: 'c',
      onLines: (l) => got.push(...l),
      onState: (s, why) => void states.push(`${s}: ${why}`),
      afterEnd: () => (n >= 2 ? 'stop' : 'retry'),
      gate: () => null,
      signal: deadline,
      idleMs: 200,
      backoff: { initialMs: 5, maxMs: 20 },
    });
    expect(deadline.aborted).toBe(false);
    expect(numbers(got)).toEqual([1]);
    expect(states[0]).toMatch(/^reconnecting: the API server did not answer the log request within 0\.2 s/);
  });
});
