import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuncdeckError } from '../../shared/contract/errors';
import type { FunctionSpecInput } from '../../shared/contract/functions';
import { core, createNamespace, deleteNamespace, harness, invokeUntilReady, nodeSpec, type FunctionsHarness } from './support-functions';

/**
 * Every bad dependency input ends the deploy in its Build step, on this machine, with a message that
 * names the problem (and the manifest line, as an editor marker): nothing reaches the cluster. Real
 * registries are used (npm, PyPI); "unreachable" is a registry URL nothing listens on.
 */
let ns: string;
let home: string;
let h: FunctionsHarness;
const UNREACHABLE = { npm_config_registry: 'http://127.0.0.1:9/', PIP_INDEX_URL: 'http://127.0.0.1:9/simple', PIP_FIND_LINKS: '' };

beforeAll(async () => {
  ns = await createNamespace('deps-bad');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-it-deps-bad-'));
  h = harness(ns, {}, { home });
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

interface Refusal {
  error: FuncdeckError;
  details: { dependencies: { kind: string; package?: string }; diagnostics: Array<{ file: string; line: number; message: string }> };
  reason: string | null;
}

async function refused(spec: FunctionSpecInput, harnessed = h): Promise<Refusal> {
  const deployId = `bad-${spec.name}-${Date.now()}`;
  const sub = harnessed.subscribe('deploy.progress', { deployId });
  let error: unknown = null;
  try {
    await harnessed.call('functions.deploy', { spec, deployId, wait: true });
  } catch (e) {
    error = e;
  }
  await sub.done.catch(() => undefined);
  expect(error).toBeInstanceOf(FuncdeckError);
  const e = error as FuncdeckError;
  expect(e.code).toBe('BUILD_FAILED');
  const last = sub.events.at(-1)!;
  expect(last.steps.find((s) => s.id === 'build')?.state).toBe('failed');
  expect(last.steps.find((s) => s.id === 'apply')?.state).not.toBe('done');
  // Nothing was written to the cluster.
  const cms = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: `funcdeck.dev/function=${spec.name}` });
  expect(cms.items).toEqual([]);
  return { error: e, details: e.details as Refusal['details'], reason: last.reason };
}

const py = (name: string, requirements: string): FunctionSpecInput => ({
  name,
  runtime: 'python',
  handler: 'handler.main',
  files: [{ path: 'handler.py', content: 'def main(event, context):\n    return "x"\n' }],
  dependencies: requirements,
});
const node = (name: string, deps: Record<string, unknown>) => nodeSpec(name, "exports.main = () => 'x';\n", { dependencies: JSON.stringify({ name, dependencies: deps }, null, 2) });

describe('bad dependency input is refused before anything reaches the cluster', () => {
  it('package.json with a dependency of the wrong shape: the line is named', async () => {
    const r = await refused(node('bad-shape', { ms: 2 }));
    expect(r.details.dependencies.kind).toBe('invalid-manifest');
    expect(r.details.diagnostics[0]).toMatchObject({ file: 'package.json', line: 4 });
    expect(r.error.message).toMatch(/package\.json line 4: The version of "ms" must be text/);
  });

  it('requirements.txt with an invalid line: the line is named', async () => {
    const r = await refused(py('bad-req', 'six==1.16.0\nrequests 2.31\n'));
    expect(r.details.diagnostics[0]).toMatchObject({ file: 'requirements.txt', line: 2 });
    expect(r.error.message).toMatch(/requirements\.txt line 2: Not a valid requirement/);
  });

  it('an npm package or version that does not exist', async () => {
    const missing = await refused(node('npm-missing', { 'fd-no-such-package-7f3a9c': '1.0.0' }));
    expect(missing.details.dependencies).toEqual({ kind: 'not-found', package: 'fd-no-such-package-7f3a9c' });
    expect(missing.error.message).toMatch(/fd-no-such-package-7f3a9c does not exist on the npm registry/);
    expect(missing.details.diagnostics[0]).toMatchObject({ file: 'package.json', line: 4 });
    const version = await refused(node('npm-version', { ms: '99.0.0' }));
    expect(version.details.dependencies).toEqual({ kind: 'no-matching-version', package: 'ms' });
    expect(version.error.message).toMatch(/No version of ms matches "99\.0\.0"/);
  }, 120_000);

  it('a Python package that does not exist, a version that does not, and one with no wheel for the image', async () => {
    const missing = await refused(py('pip-missing', 'six\nfd-no-such-package-7f3a9c==1.0\n'));
    expect(missing.details.dependencies).toEqual({ kind: 'not-found', package: 'fd-no-such-package-7f3a9c' });
    expect(missing.details.diagnostics[0]).toMatchObject({ file: 'requirements.txt', line: 2 });
    const version = await refused(py('pip-version', 'six==99.0\n'));
    expect(version.details.dependencies.kind).toBe('no-matching-version');
    expect(version.error.message).toMatch(/No version of six matching "six==99\.0" has a wheel for Python 3\.\d+/);
    const noWheel = await refused(py('pip-nowheel', 'pycrypto==2.6.1\n'));
    expect(noWheel.details.dependencies).toEqual({ kind: 'no-wheel', package: 'pycrypto' });
    expect(noWheel.error.message).toMatch(/pycrypto has no wheel for Python 3\.\d+ on manylinux .*Funcdeck installs wheels only/);
  }, 180_000);

  it('an npm native addon that needs compiling for the image is named', async () => {
    const r = await refused(node('npm-native', { 'segfault-handler': '1.3.0' }));
    expect(r.details.dependencies).toEqual({ kind: 'native', package: 'segfault-handler' });
    expect(r.error.message).toMatch(/segfault-handler@1\.3\.0 is a native addon that must be compiled for the image/);
  }, 120_000);

  it('too large for the delivery: the size and the limit', async () => {
    const r = await refused(py('too-big', 'numpy==2.2.6\n'));
    expect(r.details.dependencies.kind).toBe('too-large');
    expect(r.error.message).toMatch(/The dependencies are \d+\.\d MB compressed \(\d+\.\d MB unpacked, 1 packages\); Funcdeck delivers at most 7\.5 MB compressed/);
  }, 300_000);

  it('a registry unreachable from this machine says so; an install cached before still deploys offline', async () => {
    const deps = { ms: '2.1.3' };
    // Cached while online (same data dir as the offline engine below).
    await h.call('functions.deploy', { spec: node('cached-ok', deps), wait: true });
    const offline = harness(ns, {}, { home, env: UNREACHABLE });
    try {
      const npm = await refused(node('offline-npm', { 'left-pad': '1.3.0' }), offline);
      expect(npm.details.dependencies.kind).toBe('offline');
      expect(npm.error.message).toMatch(/The package registry \(http:\/\/127\.0\.0\.1:9\) cannot be reached from this computer.*cached and still deploy offline/);
      const pip = await refused(py('offline-pip', 'six==1.16.0\n'), offline);
      expect(pip.details.dependencies.kind).toBe('offline');
      // The cached install deploys without any registry.
      const spec = nodeSpec('cached-ok', "exports.main = () => require('ms')('1m');\n", { dependencies: JSON.stringify({ name: 'cached-ok', dependencies: deps }, null, 2) });
      const res = await offline.call('functions.deploy', { spec, wait: true });
      expect((await invokeUntilReady(ns, 'cached-ok', res.revision)).text).toBe('60000');
    } finally {
      await offline.dispose();
    }
  }, 240_000);
});
