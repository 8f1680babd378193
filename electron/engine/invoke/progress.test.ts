import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest, type InvokeProgress } from '../../../shared/contract/invoke';
import type { ApiConnection } from '../kube/api-connection';
import { NODE_CONTRACT_HANDLER, PY_CONTRACT_HANDLER } from '../runtimes/contract.handlers.test-support';
import { startLocalRuntime, type LocalRuntime } from '../runtimes/local-runner.test-support';
import type { FunctionCheck } from './function-check';
import { ProgressHub, ProgressReporter } from './progress';
import { sendInvoke } from './send';

/** An ApiConnection whose "service proxy" is a runtime server on loopback: the engine's read path, without a cluster. */
function directConnection(base: string): ApiConnection {
  return {
    server: base,
    request: (req) =>
      new Promise((resolve, reject) => {
        const target = new URL(req.path.replace(/^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy/, ''), base);
        const r = http.request(target, { method: req.method, headers: req.headers, signal: req.signal }, resolve);
        r.on('error', reject);
        r.end(req.body);
      }),
  } as ApiConnection;
}
const anyFunction = { ensure: async () => undefined } as unknown as FunctionCheck;

describe('ProgressReporter', () => {
  it('joins chunks that come within the interval, keeps multi-byte characters whole, and stops showing text past the display limit', async () => {
    const events: InvokeProgress[] = [];
    let ended = 0;
    let clock = 0;
    const r = new ProgressReporter((e) => events.push(e), () => ended++, 8, 40, () => clock);
    r.head({ type: 'head', status: 200, statusText: 'OK', headers: [], requestId: 'r1', revision: null, invokedAt: '' }, 0, 'text/plain');
    const euro = Buffer.from('€'); // 3 bytes
    r.chunk(Buffer.from('ab')); // emitted at once
    clock = 10;
    r.chunk(euro.subarray(0, 1)); // joined with the next, within 40 ms
    clock = 20;
    r.chunk(euro.subarray(1));
    clock = 45;
    await new Promise((res) => setTimeout(res, 80)); // the timer sends the joined chunk
    clock = 200;
    r.chunk(Buffer.from('cdefgh')); // 8-byte limit reached after 'cde'
    clock = 300;
    r.chunk(Buffer.from('ij'));
    r.end();
    expect(events.map((e) => (e.type === 'chunk' ? [e.text, e.bytes, e.receivedBytes] : e.type))).toEqual(['head', ['ab', 2, 2], ['€', 3, 5], ['cde', 6, 11], [null, 2, 13]]);
    expect(ended).toBe(1);
  });

  it('gives binary answers no text', () => {
    const events: InvokeProgress[] = [];
    const r = new ProgressReporter((e) => events.push(e), () => undefined, 100, 0);
    r.head({ type: 'head', status: 200, statusText: 'OK', headers: [], requestId: null, revision: null, invokedAt: '' }, 0, 'application/octet-stream');
    r.chunk(Buffer.from([0, 255]));
    expect(events[1]).toMatchObject({ type: 'chunk', text: null, bytes: 2 });
  });
});

const ackDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-progress-ack-'));
afterAll(() => fs.rmSync(ackDir, { recursive: true, force: true }));

describe.each<{ runtime: 'nodejs' | 'python'; files: Record<string, string>; route: string; hang: string }>([
  { runtime: 'nodejs', files: { 'handler.js': NODE_CONTRACT_HANDLER }, route: '/res-stream', hang: '/res-stream-hang' },
  { runtime: 'python', files: { 'handler.py': PY_CONTRACT_HANDLER }, route: '/gen-stream', hang: '/gen-hang' },
])('invoke progress from the $runtime runtime', ({ runtime, files, route, hang }) => {
  let rt: LocalRuntime;
  beforeAll(async () => {
    rt = await startLocalRuntime(runtime, files, { FUNCDECK_TIMEOUT: '2', FD_ACK_DIR: ackDir });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('pushes the head and each chunk while the answer is still coming, then the call has the whole answer', async () => {
    const hub = new ProgressHub();
    const ac = new AbortController();
    const events: InvokeProgress[] = [];
    const ack = `engine-${runtime}-${Date.now()}`;
    // The handler sends its second chunk only after this watcher has seen the first.
    const watching = hub.watch(
      'key-12345678',
      (e) => {
        events.push(e);
        if (e.type === 'chunk' && e.text?.includes('first')) fs.writeFileSync(path.join(ackDir, `ack-${ack}`), '');
      },
      ac.signal,
    );
    const reporter = hub.reporter('key-12345678');
    const result = await sendInvoke(directConnection(rt.http), 'dev', InvokeRequest.parse({ function: 'fn', path: route, query: [{ name: 'ack', value: ack }] }), {
      check: anyFunction,
      progress: reporter,
    }).finally(() => reporter.end());
    await watching; // ended by the call's end
    expect(result.status).toBe(200);
    expect(result.body.content).toBe('first\nsecond\nthird\n');
    expect(result.timing.functionMs).toBeGreaterThan(0); // from the trailer
    expect(events[0]).toMatchObject({ type: 'head', status: 200, requestId: result.requestId });
    const chunks = events.filter((e) => e.type === 'chunk');
    expect(chunks[0]).toMatchObject({ text: 'first\n' });
    expect(chunks.map((c) => c.text).join('')).toBe('first\nsecond\nthird\n');
  });

  it('keeps the invoke deadline over a streamed answer: TIMEOUT after the chunks that came in time', async () => {
    const hub = new ProgressHub();
    const events: InvokeProgress[] = [];
    void hub.watch('key-deadline', (e) => events.push(e), new AbortController().signal);
    const reporter = hub.reporter('key-deadline');
    const err = await sendInvoke(directConnection(rt.http), 'dev', InvokeRequest.parse({ function: 'fn', path: hang, timeoutMs: 500 }), { check: anyFunction, progress: reporter })
      .finally(() => reporter.end())
      .catch((e: unknown) => e);
    // TIMEOUT, not INVOKE_FAILED: the invoke's 500 ms deadline ended it before the function's 2 s timeout cut it.
    expect(err).toMatchObject({ code: 'TIMEOUT' });
    expect(events.filter((e) => e.type === 'chunk').map((e) => e.text)).toEqual(['partial']);
  });

  it('reports an answer cut at the function’s timeout as INVOKE_FAILED naming its request id, after the chunks it got', async () => {
    const hub = new ProgressHub();
    const events: InvokeProgress[] = [];
    void hub.watch('key-cut-1234', (e) => events.push(e), new AbortController().signal);
    const reporter = hub.reporter('key-cut-1234');
    const err = await sendInvoke(directConnection(rt.http), 'dev', InvokeRequest.parse({ function: 'fn', path: hang }), { check: anyFunction, progress: reporter })
      .finally(() => reporter.end())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVOKE_FAILED', details: { status: 200, receivedBytes: 7 } });
    expect((err as Error).message).toMatch(/was cut after 7 bytes \(HTTP 200\).*request [0-9a-f]{12}/);
    expect(events.filter((e) => e.type === 'chunk').map((e) => e.text)).toEqual(['partial']);
  });
});
