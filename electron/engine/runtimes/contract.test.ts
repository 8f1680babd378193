import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_HEADERS } from '../../../shared/contract/runtime-protocol';
import { NODE_CONTRACT_HANDLER, PY_CONTRACT_HANDLER } from './contract.handlers.test-support';
import { startLocalRuntime, waitForLine, type LocalRuntime } from './local-runner.test-support';

/**
 * The README's "Handler contract", line by line, on both runtime servers started locally (the code
 * the pods run). Each `it` names the line it checks.
 */
type Runtime = 'nodejs' | 'python';
const ackDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-contract-ack-'));
const cases: Array<{ runtime: Runtime; files: Record<string, string> }> = [
  { runtime: 'nodejs', files: { 'handler.js': NODE_CONTRACT_HANDLER } },
  { runtime: 'python', files: { 'handler.py': PY_CONTRACT_HANDLER } },
];

afterAll(() => fs.rmSync(ackDir, { recursive: true, force: true }));

interface Streamed {
  status: number;
  headers: http.IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  chunks: string[];
  /** False when the answer was cut before its end. */
  complete: boolean;
}

/** A request whose answer is read chunk by chunk; `onChunk` sees each as it arrives. */
function streamCall(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; onChunk?: (text: string, req: http.ClientRequest) => void } = {}): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? (opts.body ? 'POST' : 'GET'), headers: opts.headers }, (res) => {
      const out: Streamed = { status: res.statusCode ?? 0, headers: res.headers, trailers: {}, chunks: [], complete: false };
      res.on('data', (c: Buffer) => {
        out.chunks.push(c.toString('utf8'));
        opts.onChunk?.(c.toString('utf8'), req);
      });
      res.on('end', () => {
        out.complete = res.complete;
        out.trailers = res.trailers;
      });
      res.on('close', () => resolve(out));
      res.on('error', () => undefined); // "aborted": complete stays false
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
    req.end(opts.body);
  });
}

const post = (url: string, contentType: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });

describe.each(cases)('$runtime handler contract', ({ runtime, files }) => {
  let rt: LocalRuntime;
  const node = runtime === 'nodejs';
  beforeAll(async () => {
    rt = await startLocalRuntime(runtime, files, { FUNCDECK_TIMEOUT: '3', FUNCDECK_MEMORY_LIMIT: '134217728', FD_ACK_DIR: ackDir });
  });
  afterAll(async () => {
    await rt?.stop();
  });
  const event = async (res: Response) => (await res.json()) as Record<string, unknown> & { req: Record<string, unknown>; ctx: Record<string, unknown> };

  describe('event', () => {
    it('event.data: a JSON body (application/json or any +json type) arrives parsed; an empty one as null', async () => {
      expect(await event(await post(`${rt.http}/event`, 'application/json; charset=utf-8', '{"a":[1,true]}'))).toMatchObject({ kind: 'object', data: { a: [1, true] } });
      expect(await event(await post(`${rt.http}/event`, 'application/vnd.api+json', '[1]'))).toMatchObject({ kind: 'object', data: [1] });
      expect(await event(await post(`${rt.http}/event`, 'application/json', ''))).toMatchObject({ kind: 'null', data: null });
    });

    it('event.data: any other body arrives as kubeless gives it (Node.js: text as a string, other types as a Buffer; Python: bytes)', async () => {
      const text = await event(await post(`${rt.http}/event`, 'text/plain', 'héllo'));
      if (node) expect(text).toMatchObject({ kind: 'string', data: 'héllo' });
      else expect(text).toMatchObject({ kind: 'bytes', data: Buffer.from('héllo').toString('base64') });
      const bin = await event(await post(`${rt.http}/event`, 'application/octet-stream', new Uint8Array([0, 159, 255])));
      expect(bin).toMatchObject({ kind: 'bytes', data: Buffer.from([0, 159, 255]).toString('base64') });
    });

    it('a body that is not valid JSON under a JSON content-type is answered 400, without calling the handler', async () => {
      const res = await post(`${rt.http}/log`, 'application/json', '{"a":', { [RUNTIME_HEADERS.requestId]: `badjson-${runtime}` });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/not valid JSON/);
      // The handler's /log route prints a line: a later call's line appears, this call's never does.
      await fetch(`${rt.http}/log`, { headers: { [RUNTIME_HEADERS.requestId]: `after-badjson-${runtime}` } });
      await waitForLine(rt, new RegExp(`^\\[req after-badjson-${runtime}\\] a line$`));
      expect(rt.lines.filter((l) => l.startsWith(`[req badjson-${runtime}] a line`))).toEqual([]);
    });

    it("event['event-id'] is the caller's event-id header; without one, Funcdeck's request id (x-funcdeck-request-id, the [req <id>] of its log lines)", async () => {
      const given = await fetch(`${rt.http}/event`, { headers: { 'event-id': 'caller-id-42', [RUNTIME_HEADERS.requestId]: 'fd-req-0001' } });
      expect((await event(given)).id).toBe('caller-id-42');
      expect(given.headers.get(RUNTIME_HEADERS.requestId)).toBe('fd-req-0001');
      const none = await fetch(`${rt.http}/event`);
      expect((await event(none)).id).toBe(none.headers.get(RUNTIME_HEADERS.requestId));
    });

    it("event['event-type'], ['event-time'], ['event-namespace'] are the caller's headers; by default the content-type, the arrival time, funcdeck.dev", async () => {
      const given = await event(await fetch(`${rt.http}/event`, { headers: { 'event-type': 'com.example.thing', 'event-time': '2026-01-02T03:04:05Z', 'event-namespace': 'example.io' } }));
      expect(given).toMatchObject({ type: 'com.example.thing', time: '2026-01-02T03:04:05Z', ns: 'example.io' });
      const before = Date.now();
      const dflt = await event(await post(`${rt.http}/event`, 'text/plain', 'x'));
      expect(dflt).toMatchObject({ type: 'text/plain', ns: 'funcdeck.dev' });
      expect(Math.abs(Date.parse(String(dflt.time)) - before)).toBeLessThan(60_000);
    });

    it('event.extensions.request reads like the request kubeless gives (Express on Node.js, bottle on Python)', async () => {
      const res = await event(await fetch(`${rt.http}/event?x=1&x=2&y=z`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-test': 'hv' }, body: '{"k":1}' }));
      expect(res.req).toMatchObject({ method: 'PUT', url: '/event?x=1&x=2&y=z', path: '/event', query: { x: ['1', '2'], y: 'z' }, header: 'hv', bodyBytes: 7 });
      if (node) expect(res.req).toMatchObject({ isJson: 'json', header2: 'hv' });
      else expect(res.req).toMatchObject({ getHeader: 'hv', json: { k: 1 } });
    });

    it('CloudEvents in binary mode (ce-* headers): id, type, time, source become event-id, event-type, event-time, event-namespace; the body is the data; every attribute is in event.extensions.cloudevent', async () => {
      const res = await event(
        await post(`${rt.http}/event`, 'application/json', '{"bucket":"photos","name":"cat.png"}', {
          'ce-specversion': '1.0',
          'ce-id': 'evt-1',
          'ce-type': 'com.example.object.created',
          'ce-source': '/buckets/photos',
          'ce-time': '2026-05-06T07:08:09Z',
          'ce-subject': 'cat%20photo.png',
          'ce-traceparent': 'tp-1',
        }),
      );
      expect(res).toMatchObject({ id: 'evt-1', type: 'com.example.object.created', time: '2026-05-06T07:08:09Z', ns: '/buckets/photos', kind: 'object', data: { bucket: 'photos', name: 'cat.png' } });
      expect(res.ce).toEqual({
        specversion: '1.0',
        id: 'evt-1',
        type: 'com.example.object.created',
        source: '/buckets/photos',
        time: '2026-05-06T07:08:09Z',
        subject: 'cat photo.png',
        traceparent: 'tp-1',
        datacontenttype: 'application/json',
      });
    });

    it('CloudEvents in structured mode (application/cloudevents+json): the same fields; data as its datacontenttype says, data_base64 as bytes', async () => {
      const ce = { specversion: '1.0', id: 'evt-2', type: 'com.example.message', source: 'queue/orders', time: '2026-05-06T07:08:09Z', datacontenttype: 'application/json', data: { order: 7 }, partitionkey: 'p1' };
      const res = await event(await post(`${rt.http}/event`, 'application/cloudevents+json; charset=utf-8', JSON.stringify(ce)));
      expect(res).toMatchObject({ id: 'evt-2', type: 'com.example.message', time: '2026-05-06T07:08:09Z', ns: 'queue/orders', kind: 'object', data: { order: 7 } });
      const { data: _data, ...attributes } = ce;
      expect(res.ce).toEqual(attributes);

      const text = await event(await post(`${rt.http}/event`, 'application/cloudevents+json', JSON.stringify({ ...ce, datacontenttype: 'text/plain', data: 'hi' })));
      if (node) expect(text).toMatchObject({ kind: 'string', data: 'hi' });
      else expect(text).toMatchObject({ kind: 'bytes', data: Buffer.from('hi').toString('base64') });
      const { data: _d, ...noData } = ce;
      const b64 = await event(await post(`${rt.http}/event`, 'application/cloudevents+json', JSON.stringify({ ...noData, datacontenttype: 'application/octet-stream', data_base64: 'AAH/' })));
      expect(b64).toMatchObject({ kind: 'bytes', data: 'AAH/' });

      const bad = await post(`${rt.http}/event`, 'application/cloudevents+json', '[1]');
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/not a valid structured CloudEvent/);
    });
  });

  describe('context', () => {
    it("context['function-name'], context.timeout (a number of seconds), context.runtime, context['memory-limit'], context.revision", async () => {
      const { ctx } = await event(await fetch(`${rt.http}/event`));
      expect(ctx).toMatchObject({ fn: 'local-fn', timeout: 3, timeoutType: node ? 'number' : 'float', memory: '134217728', revision: '7' });
      expect(String(ctx.runtime)).toMatch(node ? /^nodejs\d+$/ : /^python3\.\d+$/);
      expect(ctx.keys).toEqual(['function-name', 'timeout', 'runtime', 'memory-limit', 'revision']); // context.response is not a field
    });
  });

  describe('return values', () => {
    it('a string is sent as text/plain, bytes as application/octet-stream, nothing as an empty 200, anything else as JSON', async () => {
      const s = await fetch(`${rt.http}/string`);
      expect([s.status, s.headers.get('content-type'), await s.text()]).toEqual([200, 'text/plain; charset=utf-8', 'plain text']);
      const b = await fetch(`${rt.http}/bytes`);
      expect(b.headers.get('content-type')).toBe('application/octet-stream');
      expect([...new Uint8Array(await b.arrayBuffer())]).toEqual([0, 1, 2, 255]);
      const n = await fetch(`${rt.http}/nothing`);
      expect([n.status, await n.text()]).toEqual([200, '']);
      const l = await fetch(`${rt.http}/list`);
      expect(l.headers.get('content-type')).toBe('application/json');
      expect(await l.json()).toEqual([1, 'two']);
    });

    it('an object that merely has a statusCode field is sent as JSON with status 200 (as kubeless does)', async () => {
      const res = await fetch(`${rt.http}/status-field`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-not')).toBeNull();
      expect(await res.json()).toEqual({ statusCode: 201, headers: { 'x-not': 'a header' }, body: 'not an envelope' });
    });

    it('context.response({ statusCode, headers, body }) opts into the envelope: its status, its headers, its body sent as a return value would be', async () => {
      const res = await fetch(`${rt.http}/envelope`);
      expect([res.status, res.headers.get('x-custom'), res.headers.get('content-type')]).toEqual([201, 'yes', 'application/json']);
      expect(await res.json()).toEqual({ created: true });
      const text = await fetch(`${rt.http}/envelope-text`);
      expect([text.status, text.headers.get('content-type'), await text.text()]).toEqual([202, 'text/plain; charset=utf-8', 'accepted']);
      const bad = await fetch(`${rt.http}/envelope-bad`);
      expect(bad.status).toBe(500);
      expect(await bad.text()).toMatch(/statusCode must be a whole number from 100 to 599/);
    });

    it.runIf(node)('Node.js: status and headers set on event.extensions.response apply to the returned value; res.json, res.send and res.sendStatus answer at once', async () => {
      const kept = await fetch(`${rt.http}/res-status`);
      expect([kept.status, kept.headers.get('x-set'), await kept.json()]).toEqual([201, 'on res', { kept: true }]);
      const json = await fetch(`${rt.http}/res-json`);
      expect([json.status, json.headers.get('content-type'), await json.json()]).toEqual([202, 'application/json; charset=utf-8', { via: 'json' }]);
      const sent = await fetch(`${rt.http}/res-send`);
      expect([sent.status, sent.headers.get('x-a'), sent.headers.get('content-type'), await sent.text()]).toEqual([200, '1', 'text/plain; charset=utf-8', 'sent']);
      const status = await fetch(`${rt.http}/res-send-status`);
      expect(status.status).toBe(204);
    });

    it.runIf(node)('Node.js: append, header, removeHeader, getHeader and redirect on event.extensions.response; writeHead then write streams with that status', async () => {
      const res = await fetch(`${rt.http}/res-helpers`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location'), res.headers.get('x-list'), res.headers.get('x-gone'), res.headers.get('x-read')]).toEqual([307, '/elsewhere', 'a, b', null, 'a,b']);
      const head = await streamCall(`${rt.http}/res-write-head`);
      expect([head.status, head.headers['transfer-encoding'], head.chunks.join(''), head.complete]).toEqual([206, 'chunked', 'ab', true]);
    });
  });

  describe('errors', () => {
    it('a thrown error is answered 500 "Error: <message>" and logged under the request id; an error with a statusCode from 400 to 599 gets that status', async () => {
      const res = await fetch(`${rt.http}/throw`);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('Error: boom in handler\n');
      await waitForLine(rt, new RegExp(`^\\[req ${res.headers.get(RUNTIME_HEADERS.requestId)}\\] .*boom in handler`));
      const teapot = await fetch(`${rt.http}/throw-418`);
      expect([teapot.status, await teapot.text()]).toEqual([418, 'Error: short and stout\n']);
    });
  });

  describe('timeouts', () => {
    it('a call still running at its timeout is answered 504 and logged', async () => {
      const started = Date.now();
      const res = await fetch(`${rt.http}/hang`);
      expect(res.status).toBe(504);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
      await waitForLine(rt, new RegExp(`^\\[req ${res.headers.get(RUNTIME_HEADERS.requestId)}\\] Function timed out after 3s`));
    });

    it('a streamed answer still open at the timeout is cut there: the caller sees it incomplete', async () => {
      const res = await streamCall(`${rt.http}/${node ? 'res-stream-hang' : 'gen-hang'}`, { headers: { [RUNTIME_HEADERS.requestId]: `cut-${runtime}` } });
      expect([res.status, res.chunks.join(''), res.complete]).toEqual([200, 'partial', false]);
      await waitForLine(rt, new RegExp(`^\\[req cut-${runtime}\\] Function timed out after 3s while streaming`));
    });
  });

  describe('streaming', () => {
    it(`${node ? 'Node.js: res.write() then res.end() on event.extensions.response' : 'Python: a returned generator'} streams: each chunk reaches the caller before the next is made`, async () => {
      const ack = `stream-${runtime}-${Date.now()}`;
      const route = node ? `/res-stream?ack=${ack}` : `/gen-stream?ack=${ack}`;
      // The handler makes its second chunk only once this caller holds the first (it waits for the
      // ack file): an answer buffered until the end could never complete.
      const res = await streamCall(`${rt.http}${route}`, { onChunk: (t) => t.includes('first') && fs.writeFileSync(path.join(ackDir, `ack-${ack}`), '') });
      expect(res.status).toBe(200);
      expect(res.complete).toBe(true);
      expect(res.chunks.join('')).toBe('first\nsecond\nthird\n');
      expect(res.chunks[0]).toBe('first\n');
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers[RUNTIME_HEADERS.requestId]).toMatch(/^[0-9a-f]{12}$/);
      expect(Number(res.trailers[RUNTIME_HEADERS.duration])).toBeGreaterThan(0);
    });

    it('an error after streaming began cuts the answer and is logged', async () => {
      const res = await streamCall(`${rt.http}/${node ? 'res-stream-throw' : 'gen-throw'}`, { headers: { [RUNTIME_HEADERS.requestId]: `err-${runtime}` } });
      expect([res.status, res.chunks.join(''), res.complete]).toEqual([200, 'partial', false]);
      await waitForLine(rt, /^\[req err-\w+\] .*after streaming/);
    });

    it.runIf(node)('Node.js: returning ends a response still open, the returned string as its last chunk (as kubeless does)', async () => {
      const res = await streamCall(`${rt.http}/res-stream-return`);
      expect([res.chunks.join(''), res.complete]).toEqual(['streamed and returned', true]);
    });

    it.runIf(node)('Node.js: a stream piped into event.extensions.response is streamed; the response emits close when the caller leaves', async () => {
      const piped = await streamCall(`${rt.http}/pipe`);
      expect([piped.chunks.join(''), piped.complete]).toEqual(['abc', true]);
      const ack = `close-${Date.now()}`;
      await streamCall(`${rt.http}/res-close?ack=${ack}`, { onChunk: (_t, req) => req.destroy() }).catch(() => undefined);
      await expect.poll(() => fs.existsSync(path.join(ackDir, `ack-closed-${ack}`)), { timeout: 2500 }).toBe(true);
    });

    it.runIf(!node)('Python: each yielded item is a chunk (str as UTF-8, bytes as they are, anything else as a JSON line); async generators and a generator body in context.response() stream too', async () => {
      const json = await streamCall(`${rt.http}/gen-json`);
      expect([json.headers['content-type'], json.chunks.join('')]).toEqual(['application/x-ndjson', '{"n": 0}\n{"n": 1}\n{"n": 2}\n']);
      expect((await streamCall(`${rt.http}/gen-async`)).chunks.join('')).toBe('xy');
      const env = await streamCall(`${rt.http}/gen-envelope`);
      expect([env.status, env.headers['content-type'], env.chunks.join(''), env.complete]).toEqual([206, 'text/csv', 'a,b\n1,2\n', true]);
      const first = await fetch(`${rt.http}/gen-throw-first`);
      expect([first.status, await first.text()]).toEqual([500, 'Error: before any chunk\n']);
      const printed = await fetch(`${rt.http}/gen-print`, { headers: { [RUNTIME_HEADERS.requestId]: 'gen-print-1' } });
      expect(await printed.text()).toBe('ok');
      await waitForLine(rt, /^\[req gen-print-1\] inside the generator$/);
    });
  });

  describe('logs and concurrency', () => {
    it('every line a call prints, on stdout or stderr, starts with [req <id>]', async () => {
      await fetch(`${rt.http}/log`, { headers: { [RUNTIME_HEADERS.requestId]: `log-${runtime}` } });
      await waitForLine(rt, new RegExp(`^\\[req log-${runtime}\\] a line$`));
      await waitForLine(rt, new RegExp(`^\\[req log-${runtime}\\] an error line$`));
    });

    it('calls to one pod run at the same time (each waits here for the other to arrive)', async () => {
      const tag = Date.now();
      const [a, b] = await Promise.all([fetch(`${rt.http}/barrier?who=a&t=${tag}`), fetch(`${rt.http}/barrier?who=b&t=${tag}`)]);
      expect([a.status, await a.text(), b.status, await b.text()]).toEqual([200, 'met', 200, 'met']);
    });
  });
});

describe.each<Runtime>(['nodejs', 'python'])('the %s HTTP template', (runtime) => {
  it('sets its status and header through context.response()', async () => {
    const { TEMPLATES } = await import('./templates');
    const tpl = TEMPLATES.find((t) => t.runtime === runtime && t.id.endsWith('-http') && t.language !== 'typescript')!;
    const rt = await startLocalRuntime(runtime, Object.fromEntries(tpl.files.map((f) => [f.path, f.content])));
    try {
      const res = await fetch(`${rt.http}/hi?name=Ada`);
      expect([res.status, res.headers.get('x-greeted')]).toEqual([200, 'Ada']);
      expect(await res.json()).toMatchObject({ greeting: 'Hello, Ada!', method: 'GET', path: '/hi' });
    } finally {
      await rt.stop();
    }
  });
});
