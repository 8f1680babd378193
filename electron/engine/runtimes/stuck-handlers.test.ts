import fs from 'node:fs';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { RUNTIME_HEADERS } from '../../../shared/contract/runtime-protocol';
import { startLocalRuntime, waitForLine, type LocalRuntime } from './local-runner.test-support';
import { cpuSecondsOver, processTree, threadCount } from './proc-stats.test-support';

/**
 * Handlers that never give control back (a busy loop, a long sleep) are answered at their timeout
 * and really stopped: the server keeps answering health, metrics and other calls meanwhile, and the
 * stuck work stops burning CPU. Both runtime servers run locally as real processes.
 */
const NODE_HANDLER = `
const { threadId } = require('node:worker_threads');
let calls = 0;
exports.main = async (event) => {
  const p = event.extensions.request.path;
  const mine = ++calls;
  if (p === '/spin') { console.log('spinning now'); while (true) {} }
  if (p === '/wait') { const start = Date.now(); await new Promise((r) => setTimeout(r, Number(event.extensions.request.query.ms || 600))); return { start, end: Date.now(), calls: mine, threadId }; }
  return { ok: true, calls: mine, threadId };
};
`;

const PY_HANDLER = `
import os, subprocess, sys, time

def main(event, context):
    p = event['extensions']['request']['path']
    if p == '/spin':
        print('spinning now')
        while True:
            pass
    if p == '/sleep':
        print('sleeping now', file=sys.stderr)
        time.sleep(100)
    if p == '/child':
        child = subprocess.Popen(['sleep', '100'])
        print('started child %d' % child.pid)
        time.sleep(100)
    if p == '/wait':
        start = time.time()
        time.sleep(float(event['extensions']['request']['query'].get('s', '0.8')))
        return {'start': start, 'end': time.time(), 'pid': os.getpid()}
    return {'ok': True, 'pid': os.getpid()}
`;

interface Answer {
  status: number;
  text: string;
  id: string;
  ms: number;
}

/** One call on its own connection (so no idle keep-alive thread lingers in the server), with a deadline. */
function call(base: string, path: string, deadlineMs = 10_000): Promise<Answer> {
  const p = request(base, path, deadlineMs);
  p.catch(() => undefined); // awaited by the test; a test that fails first leaves no unhandled rejection
  return p;
}

function request(base: string, path: string, deadlineMs = 10_000): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { agent: false, headers: { connection: 'close' }, timeout: deadlineMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text, id: String(res.headers[RUNTIME_HEADERS.requestId] ?? ''), ms: Date.now() - started }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within ${deadlineMs} ms`)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `read()` equals `want` or `ms` passes; returns the last value read. */
async function settlesTo<T>(read: () => T, want: T, ms: number): Promise<T> {
  const end = Date.now() + ms;
  let value = read();
  while (value !== want && Date.now() < end) {
    await sleep(50);
    value = read();
  }
  return value;
}

let rt: LocalRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

describe('nodejs runtime with a handler that never yields', () => {
  it('answers 504 at the timeout, keeps health, metrics and other calls answering, and stops the spinning', async () => {
    rt = await startLocalRuntime('nodejs', { 'handler.js': NODE_HANDLER }, { FUNCDECK_TIMEOUT: '2' });
    const pid = rt.process.pid!;
    expect((await call(rt.http, '/')).status).toBe(200);

    const stuck = call(rt.http, '/spin');
    await waitForLine(rt, /\] spinning now$/);
    await sleep(800);
    // A call sent to the same (blocked) handler worker, whose own timeout comes well after the stuck call's.
    const bystander = call(rt.http, '/');
    await sleep(100);
    const health = await call(rt.metrics, '/healthz', 1000);
    const metrics = await call(rt.metrics, '/metrics', 1000);
    expect(health.status).toBe(200);
    expect(metrics.text).toMatch(/funcdeck_requests_in_flight\{[^}]*\} 2/);

    const spun = await stuck;
    const answeredAt = Date.now();
    expect(spun.status).toBe(504);
    expect(spun.ms).toBeLessThan(3000); // the timeout (2 s) + 1 s
    expect(spun.text).toMatch(/timed out after 2s/);
    await waitForLine(rt, new RegExp(`^\\[req ${spun.id}\\] spinning now$`));
    await waitForLine(rt, new RegExp(`^\\[req ${spun.id}\\] Function timed out after 2s`));

    const cut = await bystander;
    expect(cut.status).toBe(503);
    expect(cut.text).toContain(spun.id); // names the call whose timeout stopped it

    const next = await call(rt.http, '/');
    expect(next.status).toBe(200);
    expect(JSON.parse(next.text)).toMatchObject({ ok: true, calls: 1 }); // a fresh worker: module state starts anew

    await sleep(answeredAt + 2000 - Date.now());
    expect(await cpuSecondsOver(pid, 1000)).toBeLessThan(0.15); // a spinning core would read ~0.3-1.0 even on a busy machine
    expect(rt.process.exitCode).toBeNull();
  }, 30_000);

  it('runs calls in parallel on one worker’s event loop, sharing its module state', async () => {
    rt = await startLocalRuntime('nodejs', { 'handler.js': NODE_HANDLER }, { FUNCDECK_TIMEOUT: '2' });
    const [a, b] = (await Promise.all([call(rt.http, '/wait?ms=600'), call(rt.http, '/wait?ms=600')])).map((r) => JSON.parse(r.text));
    expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end, b.end)); // they overlapped
    expect(a.threadId).toBe(b.threadId);
    expect(a.threadId).not.toBe(0); // not the main thread, which keeps serving health and metrics
    expect([a.calls, b.calls].sort()).toEqual([1, 2]);
    const c = JSON.parse((await call(rt.http, '/')).text);
    expect(c).toMatchObject({ calls: 3, threadId: a.threadId });
  }, 30_000);
});

describe('python runtime with a handler that never returns', () => {
  it.each([
    ['a busy loop', '/spin', 'spinning now'],
    ['a long sleep', '/sleep', 'sleeping now'],
  ])('answers 504 at the timeout for %s and leaves no work, thread or process behind, five times over', async (_, path, printed) => {
    rt = await startLocalRuntime('python', { 'handler.py': PY_HANDLER }, { FUNCDECK_TIMEOUT: '2' });
    const pid = rt.process.pid!;
    expect((await call(rt.http, '/')).status).toBe(200);
    const processes = processTree(pid).length;
    const threads = threadCount(pid);

    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const stuck = call(rt.http, path);
      await sleep(500);
      expect((await call(rt.metrics, '/healthz', 1000)).status).toBe(200);
      expect((await call(rt.http, '/', 1500)).status).toBe(200); // another call meanwhile
      const answer = await stuck;
      expect(answer.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(3000);
      await waitForLine(rt, new RegExp(`^\\[req ${answer.id}\\] ${printed}$`)); // stdout and stderr keep the call's prefix
    }
    await sleep(2000);
    expect(await cpuSecondsOver(pid, 1000)).toBeLessThan(0.15);
    expect(await settlesTo(() => processTree(pid).length, processes, 2000)).toBe(processes);
    expect(await settlesTo(() => threadCount(pid), threads, 2000)).toBe(threads);
    expect((await call(rt.http, '/')).status).toBe(200);
  }, 60_000);

  it('stops the child processes of a handler that timed out', async () => {
    rt = await startLocalRuntime('python', { 'handler.py': PY_HANDLER }, { FUNCDECK_TIMEOUT: '2' });
    const answer = await call(rt.http, '/child');
    expect(answer.status).toBe(504);
    const child = Number(/started child (\d+)$/.exec(await waitForLine(rt, new RegExp(`^\\[req ${answer.id}\\] started child \\d+$`)))![1]);
    const running = () => {
      try {
        return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${child}/stat`, 'utf8'));
      } catch {
        return false; // gone and reaped
      }
    };
    try {
      expect(await settlesTo(running, false, 2000)).toBe(false);
    } finally {
      if (running()) process.kill(child, 'SIGKILL'); // never leave it behind, even when the test fails
    }
  }, 30_000);

  it('runs up to FUNCDECK_CONCURRENCY calls in parallel in their own processes, queues the rest, and reuses warm workers', async () => {
    rt = await startLocalRuntime('python', { 'handler.py': PY_HANDLER }, { FUNCDECK_TIMEOUT: '10', FUNCDECK_CONCURRENCY: '2' });
    const answers = await Promise.all([0, 1, 2].map(() => call(rt!.http, '/wait?s=0.8')));
    const runs = answers.map((a) => JSON.parse(a.text) as { start: number; end: number; pid: number }).sort((x, y) => x.start - y.start);
    expect(runs[1]!.start).toBeLessThan(runs[0]!.end); // the first two overlapped...
    expect(runs[1]!.pid).not.toBe(runs[0]!.pid); // ...in two processes
    expect(runs[2]!.start).toBeGreaterThanOrEqual(Math.min(runs[0]!.end, runs[1]!.end) - 0.01); // the third waited for one
    expect([runs[0]!.pid, runs[1]!.pid]).toContain(runs[2]!.pid);
    const again = JSON.parse((await call(rt.http, '/')).text) as { pid: number };
    expect([runs[0]!.pid, runs[1]!.pid]).toContain(again.pid); // a warm worker, not a fork per call
  }, 30_000);
});

describe.each(['nodejs', 'python'] as const)('%s runtime shutdown with a stuck call', (runtime) => {
  it('honours SIGTERM within the grace period: answers the stuck call and the one behind it 503, stops the work and exits 0', async () => {
    const files: Record<string, string> = runtime === 'nodejs' ? { 'handler.js': NODE_HANDLER } : { 'handler.py': PY_HANDLER };
    // One Python worker, so the second call waits in line; in Node it waits behind the blocked event loop.
    rt = await startLocalRuntime(runtime, files, { FUNCDECK_TIMEOUT: '60', FUNCDECK_SHUTDOWN_GRACE_MS: '1500', FUNCDECK_CONCURRENCY: '1' });
    const stuck = call(rt.http, '/spin').catch((e: Error) => e);
    await waitForLine(rt, /\] spinning now$/);
    const behind = call(rt.http, '/').catch((e: Error) => e);
    await sleep(200);
    const signalled = Date.now();
    rt.process.kill('SIGTERM');
    const code = await Promise.race([rt.exited, sleep(8000).then(() => 'still running')]);
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(1500 + 2500); // the grace, and time to answer and exit on a busy machine
    for (const answer of [await stuck, await behind]) {
      expect(answer instanceof Error ? answer.message : answer.status).toBe(503);
      if (!(answer instanceof Error)) expect(answer.text).toMatch(/shutting down/);
    }
  }, 30_000);
});
