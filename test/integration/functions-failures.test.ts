import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuncdeckError } from '../../shared/contract/errors';
import { cluster, core, createNamespace, deleteNamespace, harness, nodeSpec, type FunctionsHarness } from './support-functions';

/** Bad input and failing functions: each ends with a located or explained error, and nothing half-made. */
let ns: string;
let h: FunctionsHarness;
const apps = cluster.kc.makeApiClient(AppsV1Api);

beforeAll(async () => {
  ns = await createNamespace('fn-fail');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

async function rejection(p: Promise<unknown>): Promise<FuncdeckError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FuncdeckError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

async function objectsIn(namespace: string) {
  const [deps, cms, svcs] = await Promise.all([
    apps.listNamespacedDeployment({ namespace }),
    core.listNamespacedConfigMap({ namespace, labelSelector: 'app.kubernetes.io/managed-by=funcdeck' }),
    core.listNamespacedService({ namespace }),
  ]);
  return [...deps.items, ...cms.items, ...svcs.items].map((o) => o.metadata?.name);
}

describe('invalid specs', () => {
  it('are rejected with one message per field, and nothing is applied', async () => {
    const bad = { name: 'Not_A_Name', runtime: 'nodejs', handler: 'handler', files: [], env: [{ name: 'A-B', value: 'x' }], timeoutSeconds: 5000 };
    const v = await h.call('functions.validate', { spec: bad as never });
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => i.path).sort()).toEqual(['env.0.name', 'files', 'handler', 'name', 'timeoutSeconds']);
    for (const i of v.issues) expect(i.message.length).toBeGreaterThan(10);

    const e = await rejection(h.call('functions.deploy', { spec: bad as never }));
    expect(e.code).toBe('INVALID_SPEC');
    expect((e.details as { issues: unknown[] }).issues).toHaveLength(5);
    expect(e.message).toMatch(/name: Use lowercase letters/);
    expect(await objectsIn(ns)).toEqual([]);
  });

  it('rejects a name longer than 40 characters', async () => {
    const v = await h.call('functions.validate', { spec: nodeSpec('a'.repeat(41), 'exports.main = () => 1;') });
    expect(v.issues).toEqual([{ path: 'name', message: expect.stringMatching(/at most 40 characters/) }]);
  });
});

describe('a missing namespace', () => {
  it('is named in the error and nothing is applied', async () => {
    const other = harness(`${ns}-missing`);
    try {
      const e = await rejection(other.call('functions.deploy', { spec: nodeSpec('nowhere', 'exports.main = () => 1;') }));
      expect(e.code).toBe('NOT_FOUND');
      expect(e.message).toMatch(/Namespace "fd-it-fn-fail-\w+-missing" does not exist/);
    } finally {
      await other.dispose();
    }
  });
});

describe('syntax errors', () => {
  it('are located (file, line, column) and no revision is applied', async () => {
    const spec = nodeSpec('broken-js', 'exports.main = async (event) => {\n  const x = {a: 1;\n  return x;\n};\n');
    const v = await h.call('functions.validate', { spec });
    expect(v.ok).toBe(false);
    expect(v.diagnostics[0]).toMatchObject({ file: 'handler.js', line: 2, column: 18, severity: 'error' });

    const e = await rejection(h.call('functions.deploy', { spec }));
    expect(e.code).toBe('BUILD_FAILED');
    expect(e.message).toMatch(/handler\.js:2:18/);
    expect((e.details as { diagnostics: Array<{ line: number }> }).diagnostics[0]!.line).toBe(2);
    expect(await objectsIn(ns)).toEqual([]);
  });

  it('in Python are located too', async () => {
    const spec = { name: 'broken-py', runtime: 'python' as const, handler: 'handler.main', files: [{ path: 'handler.py', content: 'def main(event, context):\n    return {"a": 1\n\nprint("x")\n' }] };
    const e = await rejection(h.call('functions.deploy', { spec }));
    expect(e.code).toBe('BUILD_FAILED');
    const d = (e.details as { diagnostics: Array<{ file: string; line: number; source: string }> }).diagnostics[0]!;
    expect(d).toMatchObject({ file: 'handler.py', source: 'python' });
    expect(d.line).toBeGreaterThanOrEqual(2);
    expect(await objectsIn(ns)).toEqual([]);
  });
});

describe('functions that fail in the cluster', () => {
  it('a crash at start fails the deploy with the reason and the last log lines', async () => {
    const spec = nodeSpec('crasher', "console.log('about to fail');\nthrow new Error('startup boom');\n");
    const e = await rejection(h.call('functions.deploy', { spec, wait: true }));
    expect(e.code).toBe('DEPLOY_FAILED');
    expect(e.message).toMatch(/crashed at start \(exit code 1\)/);
    const lines = (e.details as { lastLogLines: string[] }).lastLogLines.join('\n');
    expect(lines).toMatch(/about to fail/);
    expect(lines).toMatch(/startup boom/);

    const list = await h.call('functions.list', {});
    expect(list.find((f) => f.name === 'crasher')).toMatchObject({ status: 'Failed', reason: expect.stringMatching(/crashed at start/) });
    const got = await h.call('functions.get', { name: 'crasher' });
    expect(got.lastLogLines.join('\n')).toMatch(/startup boom/);
  });

  it('a handler name that the module does not export is explained', async () => {
    const spec = nodeSpec('wrong-export', 'exports.other = () => 1;', { handler: 'handler.main' });
    const e = await rejection(h.call('functions.deploy', { spec, wait: true }));
    expect((e.details as { lastLogLines: string[] }).lastLogLines.join('\n')).toMatch(/no exported function "main" \(it exports: other\)/);
  });

  it('an image that cannot be pulled fails with the image named', async () => {
    const other = harness(ns, { runtimeImages: { nodejs: 'localhost:1/funcdeck/missing:0', python: cluster.images.python } });
    try {
      const e = await rejection(other.call('functions.deploy', { spec: nodeSpec('no-image', 'exports.main = () => 1;'), wait: true }));
      expect(e.code).toBe('DEPLOY_FAILED');
      expect(e.message).toMatch(/runtime image localhost:1\/funcdeck\/missing:0 could not be pulled \((ErrImagePull|ImagePullBackOff)/);
    } finally {
      await other.dispose();
    }
  });

  it('a function that exhausts its memory is reported as out of memory', async () => {
    const spec = nodeSpec('hog', 'const keep = []; for (let i = 0; i < 400; i++) keep.push(Buffer.alloc(1024 * 1024, 1));\nexports.main = () => keep.length;\n', { size: 'XS' });
    const e = await rejection(h.call('functions.deploy', { spec, wait: true }));
    expect(e.message).toMatch(/ran out of memory \(limit 96Mi\)/);
  });

  it('pods no node can take are reported as unschedulable', async () => {
    const spec = nodeSpec('too-big', 'exports.main = () => 1;', { size: 'XL', scale: { min: 20, max: 20 } });
    try {
      const e = await rejection(h.call('functions.deploy', { spec, wait: true }));
      expect(e.code).toBe('DEPLOY_FAILED');
      expect(e.message).toMatch(/No node can run the function's pod: .*Insufficient (cpu|memory).*Pick a smaller size/);
    } finally {
      await h.call('functions.delete', { name: 'too-big' }).catch(() => undefined);
    }
  });

  it('a function that never starts serving is reported as failing readiness', async () => {
    // Blocks module loading (without burning CPU), so the runtime never listens.
    const spec = nodeSpec('stuck', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3600e3);\nexports.main = () => 1;\n');
    const e = await rejection(h.call('functions.deploy', { spec, wait: true }));
    expect(e.code).toBe('DEPLOY_FAILED');
    expect(e.message).toMatch(/readiness check \(\/readyz\) has failed for \d+ s/);
  }, 90_000);

  it('streams deploy progress: steps with timings, then Failed with the reason', async () => {
    const deployId = `t-${Date.now()}`;
    const sub = h.subscribe('deploy.progress', { deployId });
    await rejection(h.call('functions.deploy', { spec: nodeSpec('crasher2', "throw new Error('again');"), deployId, wait: true }));
    await sub.done;
    const last = sub.events.at(-1)!;
    expect(last.final).toBe(true);
    expect(last.phase).toBe('failed');
    expect(last.reason).toMatch(/crashed at start/);
    expect(last.lastLogLines.join('\n')).toMatch(/again/);
    expect(last.steps.map((s) => [s.id, s.state])).toEqual([
      ['validate', 'done'],
      ['build', 'done'],
      ['apply', 'done'],
      ['rollout', 'failed'],
      ['ready', 'skipped'],
    ]);
    expect(last.steps[2]!.ms).toBeGreaterThanOrEqual(0);
    expect(last.revision).toBe(1);
  });
});
