import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest, type InvokeRequestInput } from '../../shared/contract/invoke';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { createNamespace, deleteNamespace, deployWorkload, testEngine, type TestEngine } from './support-observe';

let ns: string;
let engine: TestEngine;
let calls: ReturnType<typeof invokeHandlers>['calls'];
const send = (req: InvokeRequestInput) => calls['invoke.send'](InvokeRequest.parse(req));

beforeAll(async () => {
  ns = await createNamespace('invoke');
  engine = await testEngine(ns);
  calls = invokeHandlers(engine.ctx).calls;
  await deployWorkload(ns, 'echo');
});

afterAll(async () => {
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('invoke through the service proxy', () => {
  it('sends any method with path, repeated query, headers and a JSON body', async () => {
    const r = await send({
      function: 'echo',
      method: 'PATCH',
      path: '/echo',
      query: [
        { name: 'a', value: '1' },
        { name: 'a', value: 'two words' },
      ],
      headers: [{ name: 'X-Test', value: 'yes' }],
      body: { kind: 'json', content: '{"hello":"world"}' },
    });
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('json');
    const echoed = JSON.parse(r.body.content) as { method: string; path: string; query: string[][]; headers: Record<string, string>; body: string };
    expect(echoed.method).toBe('PATCH');
    expect(echoed.path).toBe('/echo');
    expect(echoed.query).toEqual([
      ['a', '1'],
      ['a', 'two words'],
    ]);
    expect(echoed.headers['x-test']).toBe('yes');
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(Buffer.from(echoed.body, 'base64').toString()).toBe('{"hello":"world"}');
    expect(r.requestId).toMatch(/^[0-9a-f]{12}$/);
    expect(r.revision).toBe('1');
    expect(r.timing.functionMs).not.toBeNull();
    expect(r.timing.totalMs).toBeGreaterThan(r.timing.functionMs!);
  });

  it('sends text and binary bodies and gets binary back as base64', async () => {
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const text = await send({ function: 'echo', method, path: '/echo', body: { kind: 'text', content: 'héllo' } });
      const e = JSON.parse(text.body.content) as { method: string; body: string; headers: Record<string, string> };
      expect(e.method).toBe(method);
      expect(Buffer.from(e.body, 'base64').toString()).toBe('héllo');
      expect(e.headers['content-type']).toMatch(/^text\/plain/);
    }
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const bin = await send({ function: 'echo', method: 'POST', path: '/echo', body: { kind: 'base64', content: bytes.toString('base64') } });
    expect(Buffer.from((JSON.parse(bin.body.content) as { body: string }).body, 'base64')).toEqual(bytes);
    const back = await send({ function: 'echo', path: '/bin' });
    expect(back.body.kind).toBe('base64');
    expect([...Buffer.from(back.body.content, 'base64')]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    const head = await send({ function: 'echo', method: 'HEAD', path: '/' });
    expect(head.status).toBe(200);
    expect(head.body.sizeBytes).toBe(0);
  });

  it('returns a 10 MB answer truncated to 1 MB for display, with its full size', async () => {
    const size = 10 * 1024 * 1024;
    const r = await send({ function: 'echo', path: '/big', query: [{ name: 'bytes', value: String(size) }] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'text', truncated: true, sizeBytes: size });
    expect(r.body.content.length).toBe(1024 * 1024);
  });

  it('passes the function’s own error statuses through as results', async () => {
    const r = await send({ function: 'echo', path: '/status', query: [{ name: 'code', value: '503' }] });
    expect(r.status).toBe(503);
    expect(r.body.content).toBe('status 503');
  });

  it('fails with TIMEOUT at the client deadline, and records it in the history', async () => {
    const t0 = Date.now();
    await expect(send({ function: 'echo', path: '/sleep', query: [{ name: 'ms', value: '5000' }], timeoutMs: 700 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(4000); // the 700 ms deadline, not the handler's 5 s
    const [last] = await calls['invoke.history']({ function: 'echo', limit: 1 });
    expect(last!.summary.error?.code).toBe('TIMEOUT');
  });

  it('says NOT_FOUND for a function that does not exist', async () => {
    await expect(send({ function: 'nope', path: '/' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps a history (newest first) and saved requests on disk', async () => {
    const before = await calls['invoke.history']({ function: 'echo', limit: 200 });
    const r = await send({ function: 'echo', path: '/hello' });
    const after = await calls['invoke.history']({ function: 'echo', limit: 200 });
    expect(after.length).toBe(before.length + 1);
    expect(after[0]).toMatchObject({ id: r.historyId, request: { path: '/hello' }, summary: { status: 200, requestId: r.requestId } });
    // a fresh engine on the same data folder reads the same history
    const again = invokeHandlers(engine.ctx).calls;
    expect((await again['invoke.history']({ function: 'echo', limit: 1 }))[0]!.id).toBe(r.historyId);
    await calls['invoke.saved.save']({ function: 'echo', name: 'ping', request: InvokeRequest.parse({ function: 'echo', path: '/ping' }) });
    expect((await again['invoke.saved.list']({ function: 'echo' })).map((s) => s.name)).toEqual(['ping']);
  });
});
