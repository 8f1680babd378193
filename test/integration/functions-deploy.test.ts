import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_HEADERS } from '../../shared/contract/runtime-protocol';
import { createNamespace, deleteNamespace, eventually, harness, invoke, invokeUntilReady, nodeSpec, type FunctionsHarness } from './support-functions';

/** Deploying Node (JavaScript and TypeScript) and Python functions, reaching them through the service proxy. */
let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('fn-deploy');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('functions.deploy', () => {
  it('deploys a JavaScript function that answers through the service proxy', async () => {
    const spec = nodeSpec('hello-js', "exports.main = async (event, context) => ({ hello: event.data, fn: context['function-name'], q: event.extensions.request.query });");
    const res = await h.call('functions.deploy', { spec, wait: true });
    expect(res).toMatchObject({ name: 'hello-js', revision: 1, created: true, ready: true });
    const r = await invokeUntilReady(ns, 'hello-js', 1, 30_000, { path: '/?x=1', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(r.text)).toEqual({ hello: { a: 1 }, fn: 'hello-js', q: { x: '1' } });
    expect(r.headers[RUNTIME_HEADERS.requestId]).toMatch(/^[0-9a-f]{12}$/);

    // The deploy returns once the engine saw the pod answer; the kubelet's own readiness follows within a second.
    await eventually(async () => {
      const list = await h.call('functions.list', {});
      expect(list.find((f) => f.name === 'hello-js')).toMatchObject({ status: 'Ready', runtime: 'nodejs', language: 'javascript', latestRevision: 1, servingRevision: 1, replicas: { ready: 1, desired: 1 } });
    });
  });

  it('compiles and deploys a TypeScript function', async () => {
    const spec = {
      name: 'hello-ts',
      runtime: 'nodejs' as const,
      language: 'typescript' as const,
      handler: 'handler.main',
      files: [
        { path: 'handler.ts', content: "import { shout } from './lib/shout';\nexport async function main(event: { data: string }): Promise<string> {\n  return shout(event.data);\n}\n" },
        { path: 'lib/shout.ts', content: 'export const shout = (s: string): string => s.toUpperCase() + "!";\n' },
      ],
    };
    await h.call('functions.deploy', { spec, wait: true });
    const r = await invokeUntilReady(ns, 'hello-ts', 1, 30_000, { body: 'typed', headers: { 'content-type': 'text/plain' } });
    expect(r.text).toBe('TYPED!');
    const got = await h.call('functions.get', { name: 'hello-ts' });
    expect(got.spec.files.map((f) => f.path).sort()).toEqual(['handler.ts', 'lib/shout.ts']);
    expect(got.summary.language).toBe('typescript');
  });

  it('deploys a Python function', async () => {
    const spec = {
      name: 'hello-py',
      runtime: 'python' as const,
      handler: 'handler.main',
      env: [{ name: 'GREETING', value: 'hi' }],
      files: [{ path: 'handler.py', content: "import os\n\ndef main(event, context):\n    return {'greeting': os.environ['GREETING'], 'data': event['data'], 'runtime': context['runtime']}\n" }],
    };
    await h.call('functions.deploy', { spec, wait: true });
    const r = await invokeUntilReady(ns, 'hello-py', 1, 30_000, { body: '[1,2]', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(r.text)).toMatchObject({ greeting: 'hi', data: [1, 2] });
    expect(JSON.parse(r.text).runtime).toMatch(/^python3/);
  });

  it('creates no revision when the spec is unchanged', async () => {
    const spec = nodeSpec('hello-js', "exports.main = async (event, context) => ({ hello: event.data, fn: context['function-name'], q: event.extensions.request.query });");
    const res = await h.call('functions.deploy', { spec, wait: true });
    expect(res).toMatchObject({ revision: 1, created: false });
    const revs = await h.call('revisions.list', { name: 'hello-js' });
    expect(revs.revisions.map((r) => r.number)).toEqual([1]);
  });

  it('answers 500 when the handler throws and 504 when it never returns', async () => {
    const spec = nodeSpec(
      'faulty',
      "exports.main = async (event) => { const p = event.extensions.request.path; if (p === '/ok') return 'ok'; if (p === '/hang') return new Promise(() => {}); throw new Error('kaput'); };",
      { timeoutSeconds: 2 },
    );
    await h.call('functions.deploy', { spec, wait: true });
    await invokeUntilReady(ns, 'faulty', 1, 30_000, { path: '/ok' });
    const thrown = await invoke(ns, 'faulty', { path: '/x' });
    expect(thrown.status).toBe(500);
    expect(thrown.text).toMatch(/kaput/);
    const started = Date.now();
    const hung = await invoke(ns, 'faulty', { path: '/hang', timeoutMs: 20_000 });
    expect(hung.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });
});
