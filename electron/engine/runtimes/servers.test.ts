import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_HEADERS } from '../../../shared/contract/runtime-protocol';
import { startLocalRuntime, waitForLine, type LocalRuntime } from './local-runner.test-support';

// Both runtime servers, started locally as child processes (the same code the pods run),
// with one handler that dispatches on the request path.
const NODE_HANDLER = `
exports.main = async (event, context) => {
  const req = event.extensions.request;
  switch (req.path) {
    case '/echo': return {
      type: Buffer.isBuffer(event.data) ? 'binary' : event.data === null ? 'null' : typeof event.data,
      data: Buffer.isBuffer(event.data) ? event.data.toString('base64') : event.data,
      method: req.method, query: req.query, header: req.headers['x-test'] || null,
      id: event['event-id'], eventType: event['event-type'], time: event['event-time'], ns: event['event-namespace'],
      fn: context['function-name'], timeout: context.timeout, runtime: context.runtime, memory: context['memory-limit'],
    };
    case '/text': return 'hello ' + event.data;
    case '/binary': return Buffer.from([0, 1, 2, 255]);
    case '/custom': return context.response({ statusCode: 201, headers: { 'x-custom': 'yes' }, body: { created: true } });
    case '/throw': throw new Error('boom in handler');
    case '/log': console.log('first'); await new Promise((r) => setTimeout(r, 10)); console.log('second\\nthird'); return 'logged';
    case '/hang': return new Promise(() => {});
    case '/slow': await new Promise((r) => setTimeout(r, 400)); return 'slow done';
    case '/big': return Buffer.alloc(10 * 1024 * 1024, 97);
    case '/flood': for (let i = 0; i < 50000; i++) console.log('flood ' + i); console.log('L' + 'x'.repeat(2000000)); return 'flooded';
    default: return context.response({ statusCode: 404, body: 'no route ' + req.path });
  }
};
`;

const PY_HANDLER = `
import base64, time

def main(event, context):
    req = event['extensions']['request']
    p = req['path']
    if p == '/echo':
        d = event['data']
        kind = 'binary' if isinstance(d, (bytes, bytearray)) else 'null' if d is None else 'string' if isinstance(d, str) else 'object'
        return {
            'type': kind,
            'data': base64.b64encode(d).decode() if kind == 'binary' else d,
            'method': req['method'], 'query': req['query'], 'header': req['headers'].get('x-test'),
            'id': event['event-id'], 'eventType': event['event-type'], 'time': event['event-time'], 'ns': event['event-namespace'],
            'fn': context['function-name'], 'timeout': context['timeout'], 'runtime': context['runtime'], 'memory': context['memory-limit'],
        }
    if p == '/text':
        return 'hello ' + event['data'].decode()
    if p == '/binary':
        return bytes([0, 1, 2, 255])
    if p == '/custom':
        return context.response({'statusCode': 201, 'headers': {'x-custom': 'yes'}, 'body': {'created': True}})
    if p == '/throw':
        raise RuntimeError('boom in handler')
    if p == '/log':
        print('first')
        time.sleep(0.01)
        print('second\\nthird')
        return 'logged'
    if p == '/hang':
        time.sleep(3600)
    if p == '/slow':
        time.sleep(0.4)
        return 'slow done'
    if p == '/big':
        return b'a' * (10 * 1024 * 1024)
    if p == '/flood':
        for i in range(50000):
            print('flood %d' % i)
        print('L' + 'x' * 2000000)
        return 'flooded'
    return context.response({'statusCode': 404, 'body': 'no route ' + p})

async def amain(event, context):
    import asyncio
    await asyncio.sleep(0.01)
    print('async line')
    return {'async': True, 'data': event['data']}
`;

const cases: Array<{ runtime: 'nodejs' | 'python'; files: Record<string, string>; runtimeName: RegExp }> = [
  { runtime: 'nodejs' as const, files: { 'handler.js': NODE_HANDLER }, runtimeName: /^nodejs\d+$/ },
  { runtime: 'python' as const, files: { 'handler.py': PY_HANDLER }, runtimeName: /^python3\.\d+$/ },
];

describe.each(cases)('$runtime runtime server', ({ runtime, files, runtimeName }) => {
  let rt: LocalRuntime;
  beforeAll(async () => {
    rt = await startLocalRuntime(runtime, files, { FUNCDECK_TIMEOUT: '1', FUNCDECK_MEMORY_LIMIT: '134217728' });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('passes a JSON body as parsed data, with the event and context fields', async () => {
    const res = await fetch(`${rt.http}/echo?x=1&x=2&y=z`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test': 'header-value' },
      body: JSON.stringify({ a: 1, b: [true] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'object',
      data: { a: 1, b: [true] },
      method: 'POST',
      query: { x: ['1', '2'], y: 'z' },
      header: 'header-value',
      eventType: 'application/json',
      ns: 'funcdeck.dev',
      fn: 'local-fn',
      timeout: 1,
      memory: '134217728',
    });
    expect(String(body.runtime)).toMatch(runtimeName);
    expect(body.id).toBe(res.headers.get(RUNTIME_HEADERS.requestId));
    expect(Number.isNaN(Date.parse(String(body.time)))).toBe(false);
    expect(res.headers.get(RUNTIME_HEADERS.revision)).toBe('7');
    expect(Number(res.headers.get(RUNTIME_HEADERS.duration))).toBeGreaterThanOrEqual(0);
  });

  it('passes text as a string (Node.js) or bytes (Python, as kubeless) and binary as bytes, and returns both', async () => {
    const text = await fetch(`${rt.http}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'héllo' });
    expect(await text.json()).toMatchObject(runtime === 'nodejs' ? { type: 'string', data: 'héllo' } : { type: 'binary', data: Buffer.from('héllo').toString('base64') });

    const bytes = new Uint8Array([0, 159, 146, 150, 255]);
    const bin = await fetch(`${rt.http}/echo`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(await bin.json()).toMatchObject({ type: 'binary', data: Buffer.from(bytes).toString('base64') });

    const t = await fetch(`${rt.http}/text`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'world' });
    expect(t.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await t.text()).toBe('hello world');

    const b = await fetch(`${rt.http}/binary`);
    expect(b.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await b.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it('sends a 10 MB response whole', async () => {
    const res = await fetch(`${rt.http}/big`);
    expect(res.headers.get('content-length')).toBe(String(10 * 1024 * 1024));
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body.length).toBe(10 * 1024 * 1024);
    expect(body[body.length - 1]).toBe(97);
  });

  it('honours context.response({statusCode, headers, body}) results', async () => {
    const res = await fetch(`${rt.http}/custom`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(await res.json()).toEqual({ created: true });
  });

  it('rejects a malformed JSON body with 400', async () => {
    const res = await fetch(`${rt.http}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/not valid JSON/);
  });

  it('answers 500 when the handler throws, and logs it under the request id', async () => {
    const res = await fetch(`${rt.http}/throw`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/boom in handler/);
    const id = res.headers.get(RUNTIME_HEADERS.requestId)!;
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    await waitForLine(rt, new RegExp(`^\\[req ${id}\\] .*boom in handler`));
  });

  it('prefixes every line the handler prints with the request id, keeping a given id', async () => {
    const res = await fetch(`${rt.http}/log`, { headers: { [RUNTIME_HEADERS.requestId]: 'abcd-1234' } });
    expect(await res.text()).toBe('logged');
    expect(res.headers.get(RUNTIME_HEADERS.requestId)).toBe('abcd-1234');
    for (const word of ['first', 'second', 'third']) await waitForLine(rt, new RegExp(`^\\[req abcd-1234\\] ${word}$`));
  });

  it('answers 504 after the timeout and logs it, while other calls keep working', async () => {
    const started = Date.now();
    const [hang, quick] = await Promise.all([
      fetch(`${rt.http}/hang`),
      new Promise((r) => setTimeout(r, 100)).then(() => fetch(`${rt.http}/text`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })),
    ]);
    expect(quick.status).toBe(200);
    expect(hang.status).toBe(504);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(5000);
    const id = hang.headers.get(RUNTIME_HEADERS.requestId)!;
    await waitForLine(rt, new RegExp(`^\\[req ${id}\\] Function timed out after 1s`));
  });

  it('serves health, readiness and Prometheus metrics on the second port', async () => {
    expect((await fetch(`${rt.metrics}/healthz`)).status).toBe(200);
    expect((await fetch(`${rt.metrics}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${rt.metrics}/metrics`)).text();
    const ok = /funcdeck_requests_total\{function="local-fn",revision="7",code="200"\} (\d+)/.exec(text);
    expect(Number(ok?.[1])).toBeGreaterThanOrEqual(6);
    expect(text).toMatch(/funcdeck_requests_total\{[^}]*code="500"\} 1\b/);
    expect(text).toMatch(/funcdeck_requests_total\{[^}]*code="504"\} 1\b/);
    expect(text).toMatch(/# TYPE funcdeck_request_duration_seconds histogram/);
    expect(text).toMatch(/funcdeck_request_duration_seconds_bucket\{[^}]*le="0.005"\} \d+/);
    const inf = /funcdeck_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} (\d+)/.exec(text);
    const count = /funcdeck_request_duration_seconds_count\{[^}]*\} (\d+)/.exec(text);
    expect(inf?.[1]).toBe(count?.[1]);
    expect(text).toMatch(/funcdeck_requests_in_flight\{[^}]*\} 0/);
    const start = Number(/process_start_time_seconds ([\d.e+]+)/.exec(text)?.[1]);
    expect(Math.abs(start - Date.now() / 1000)).toBeLessThan(120);
  });
});

describe.each(cases)('$runtime runtime output', ({ runtime, files }) => {
  it('keeps every line of a flood and a 2 MB line, in order, each with the call’s prefix', async () => {
    const rt = await startLocalRuntime(runtime, files, { FUNCDECK_TIMEOUT: '60' });
    try {
      const res = await fetch(`${rt.http}/flood`, { headers: { [RUNTIME_HEADERS.requestId]: 'flood-1' } });
      expect(await res.text()).toBe('flooded');
      await waitForLine(rt, /^\[req flood-1\] Lx{2000000}$/, 10_000);
      const flood = rt.lines.filter((l) => l.startsWith('[req flood-1] flood '));
      expect(flood).toHaveLength(50000);
      expect(flood.every((l, i) => l === `[req flood-1] flood ${i}`)).toBe(true);
    } finally {
      await rt.stop();
    }
  }, 60_000);
});

describe.each(cases)('$runtime runtime lifecycle', ({ runtime, files }) => {
  it('finishes the call in flight on SIGTERM, refuses readiness, then exits 0', async () => {
    const rt = await startLocalRuntime(runtime, files);
    const slow = fetch(`${rt.http}/slow`).then(async (r) => ({ status: r.status, text: await r.text() }));
    await waitForInFlight(rt);
    rt.process.kill('SIGTERM');
    await waitForLine(rt, /SIGTERM received/);
    const ready = await fetch(`${rt.metrics}/readyz`).then((r) => r.status).catch(() => 'closed');
    expect([503, 'closed']).toContain(ready);
    expect(await slow).toEqual({ status: 200, text: 'slow done' });
    expect(await rt.exited).toBe(0);
    await rt.stop();
  });

  it('exits with a clear message when the handler function does not exist', async () => {
    await expect(startLocalRuntime(runtime, files, { FUNCDECK_HANDLER: 'handler.missing' })).rejects.toThrow(/no (exported )?function "missing"/);
  });
});

describe.each<{ runtime: 'nodejs' | 'python'; files: Record<string, string> }>([
  { runtime: 'nodejs', files: { 'lib/util.js': "exports.twice = (x) => x + x;", 'fn/handler.js': "const { twice } = require('../lib/util'); exports.main = (e) => twice(e.data);" } },
  { runtime: 'python', files: { 'lib/util.py': 'def twice(x):\n    return x + x\n', 'fn/handler.py': 'from lib.util import twice\n\ndef main(event, context):\n    return twice(event["data"])\n' } },
])('$runtime handler in a subfolder', ({ runtime, files }) => {
  it('loads fn/handler.main and its sibling modules', async () => {
    const rt = await startLocalRuntime(runtime, files, { FUNCDECK_HANDLER: 'fn/handler.main' });
    try {
      const res = await fetch(rt.http, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'ab' });
      expect(await res.text()).toBe('abab');
    } finally {
      await rt.stop();
    }
  });
});

describe('python async handlers', () => {
  it('awaits an async def handler and prefixes its prints', async () => {
    const rt = await startLocalRuntime('python', { 'handler.py': PY_HANDLER }, { FUNCDECK_HANDLER: 'handler.amain' });
    try {
      const res = await fetch(rt.http, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
      expect(await res.json()).toEqual({ async: true, data: [1, 2] });
      await waitForLine(rt, new RegExp(`^\\[req ${res.headers.get(RUNTIME_HEADERS.requestId)}\\] async line$`));
    } finally {
      await rt.stop();
    }
  });
});

async function waitForInFlight(rt: LocalRuntime) {
  for (let i = 0; i < 100; i++) {
    const text = await (await fetch(`${rt.metrics}/metrics`)).text();
    if (/funcdeck_requests_in_flight\{[^}]*\} 1/.test(text)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the slow call never started');
}
