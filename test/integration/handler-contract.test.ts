import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeSendParams, type InvokeProgress, type InvokeResult } from '../../shared/contract/invoke';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { NODE_CONTRACT_HANDLER, PY_CONTRACT_HANDLER } from '../../electron/engine/runtimes/contract.handlers.test-support';
import { createNamespace, deleteNamespace, harness, type FunctionsHarness } from './support-functions';

/**
 * The handler contract on the dev cluster, through the engine's own invoke path (the API server's
 * service proxy): the caller's event-id, bytes for Python, the response envelope, CloudEvents in
 * both modes, and streamed answers arriving chunk by chunk in the invoke progress.
 */
let ns: string;
let h: FunctionsHarness;
let invoke: ReturnType<typeof invokeHandlers>;

const FUNCTIONS = [
  { fn: 'contract-js', runtime: 'nodejs' as const, file: 'handler.js', source: NODE_CONTRACT_HANDLER, stream: '/res-stream' },
  { fn: 'contract-py', runtime: 'python' as const, file: 'handler.py', source: PY_CONTRACT_HANDLER, stream: '/gen-stream' },
];

beforeAll(async () => {
  ns = await createNamespace('contract');
  h = harness(ns);
  invoke = invokeHandlers(h.ctx);
  await Promise.all(
    FUNCTIONS.map((f) =>
      h.call('functions.deploy', { spec: { name: f.fn, runtime: f.runtime, handler: 'handler.main', timeoutSeconds: 20, files: [{ path: f.file, content: f.source }] }, wait: true }),
    ),
  );
}, 240_000);

afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

const send = (params: Parameters<typeof InvokeSendParams.parse>[0]) => invoke.calls['invoke.send'](InvokeSendParams.parse(params));
const json = (r: InvokeResult) => JSON.parse(r.body.content) as Record<string, unknown>;

describe.each(FUNCTIONS)('$runtime handler contract on the cluster', ({ fn, runtime, stream }) => {
  it("the caller's event-id header reaches the handler; Funcdeck's request id stays in its own header", async () => {
    const r = await send({ function: fn, path: '/event', headers: [{ name: 'event-id', value: 'order-4711' }] });
    expect(json(r).id).toBe('order-4711');
    expect(r.requestId).toMatch(/^[0-9a-zA-Z-]{4,64}$/);
    expect(r.requestId).not.toBe('order-4711');
  });

  it(runtime === 'python' ? 'non-JSON data arrives as bytes, JSON parsed' : 'text arrives as a string, other bytes as a Buffer, JSON parsed', async () => {
    const text = json(await send({ function: fn, method: 'POST', path: '/event', body: { kind: 'text', content: 'héllo' } }));
    expect(text).toMatchObject(runtime === 'python' ? { kind: 'bytes', data: Buffer.from('héllo').toString('base64') } : { kind: 'string', data: 'héllo' });
    const bin = json(await send({ function: fn, method: 'POST', path: '/event', body: { kind: 'base64', content: 'AJ//' } }));
    expect(bin).toMatchObject({ kind: 'bytes', data: 'AJ//' });
    const obj = json(await send({ function: fn, method: 'POST', path: '/event', body: { kind: 'json', content: '{"a":1}' } }));
    expect(obj).toMatchObject({ kind: 'object', data: { a: 1 } });
  });

  it('an object with a statusCode field is JSON; context.response() sets status and headers', async () => {
    const plain = await send({ function: fn, path: '/status-field' });
    expect([plain.status, JSON.parse(plain.body.content)]).toEqual([200, { statusCode: 201, headers: { 'x-not': 'a header' }, body: 'not an envelope' }]);
    const env = await send({ function: fn, path: '/envelope' });
    expect([env.status, env.headers.find((x) => x.name === 'x-custom')?.value, JSON.parse(env.body.content)]).toEqual([201, 'yes', { created: true }]);
  });

  it('CloudEvents in binary and in structured mode reach the handler as its event', async () => {
    const binary = json(
      await send({
        function: fn,
        method: 'POST',
        path: '/event',
        headers: [
          { name: 'ce-specversion', value: '1.0' },
          { name: 'ce-id', value: 'b-1' },
          { name: 'ce-type', value: 'com.example.object.created' },
          { name: 'ce-source', value: '/buckets/photos' },
          { name: 'ce-time', value: '2026-05-06T07:08:09Z' },
        ],
        body: { kind: 'json', content: '{"name":"cat.png"}' },
      }),
    );
    expect(binary).toMatchObject({ id: 'b-1', type: 'com.example.object.created', ns: '/buckets/photos', time: '2026-05-06T07:08:09Z', data: { name: 'cat.png' } });
    expect(binary.ce).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json' });
    const structured = json(
      await send({
        function: fn,
        method: 'POST',
        path: '/event',
        headers: [{ name: 'content-type', value: 'application/cloudevents+json' }],
        body: { kind: 'text', content: JSON.stringify({ specversion: '1.0', id: 's-1', type: 'com.example.message', source: 'queue/orders', time: '2026-05-06T07:08:09Z', data: { order: 7 } }) },
      }),
    );
    expect(structured).toMatchObject({ id: 's-1', type: 'com.example.message', ns: 'queue/orders', data: { order: 7 } });
  });

  it('a streamed answer reaches the invoke progress chunk by chunk: the second chunk is made only after the first arrived', async () => {
    const key = `it-${fn}-${Date.now()}`;
    const ack = `cluster-${Date.now()}`;
    const events: Array<{ e: InvokeProgress; at: number }> = [];
    const ac = new AbortController();
    let acked: Promise<unknown> | null = null;
    const started = performance.now();
    const watching = invoke.streams['invoke.progress']({ key }, {
      signal: ac.signal,
      emit: (e) => {
        events.push({ e, at: performance.now() - started });
        // The handler waits for this ack (a second call, to the same pod) before its next chunk.
        if (!acked && e.type === 'chunk' && e.text?.includes('first')) acked = send({ function: fn, path: '/ack', query: [{ name: 'name', value: ack }] });
      },
    });
    const result = await send({ function: fn, path: stream, query: [{ name: 'ack', value: ack }], progressKey: key, timeoutMs: 30_000 });
    const done = performance.now() - started;
    await watching;
    expect(acked).not.toBeNull();
    expect(((await acked!) as InvokeResult).body.content).toBe('acked');
    expect(result.status).toBe(200);
    expect(result.body.content).toBe('first\nsecond\nthird\n');
    const chunks = events.filter((x) => x.e.type === 'chunk');
    expect(chunks[0]!.e).toMatchObject({ text: 'first\n' });
    // Measured for the report: when the first chunk showed, and when the whole answer was in.
    console.log(`[contract ${fn}] first chunk at ${chunks[0]!.at.toFixed(0)} ms, whole answer at ${done.toFixed(0)} ms, ${chunks.length} chunk events, handler ${result.timing.functionMs} ms`);
  });
});
