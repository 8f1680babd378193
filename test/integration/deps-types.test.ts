import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuncdeckError } from '../../shared/contract/errors';
import type { FunctionSpecInput } from '../../shared/contract/functions';
import { depsHandlers } from '../../electron/engine/deps/handlers';
import { createNamespace, deleteNamespace, harness, invokeUntilReady, type FunctionsHarness } from './support-functions';

/**
 * TypeScript functions are type-checked against the types of the packages installed for them
 * (here @types/ms, a devDependency: installed for the check, not shipped). Type errors are warnings
 * marked at their place by default; with typeErrorsBlockDeploy they stop the deploy.
 */
let ns: string;
let home: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('deps-types');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-it-deps-types-'));
  h = harness(ns, {}, { home });
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const spec: FunctionSpecInput = {
  name: 'typed',
  runtime: 'nodejs',
  language: 'typescript',
  handler: 'handler.main',
  files: [{ path: 'handler.ts', content: "import ms from 'ms';\n\nexport async function main(): Promise<string> {\n  const label: string = ms('2h');\n  return label;\n}\n" }],
  dependencies: JSON.stringify({ dependencies: { ms: '2.1.3' }, devDependencies: { '@types/ms': '2.1.0' } }, null, 2),
};
const marker = { file: 'handler.ts', line: 4, column: 9, source: 'typescript', message: expect.stringMatching(/Type 'number' is not assignable to type 'string'.*TS2322/) };

describe('type-checking with installed packages', () => {
  it("marks a type error against a package's types as a warning at its place, and deploys", async () => {
    const deployId = `typed-${Date.now()}`;
    const sub = h.subscribe('deploy.progress', { deployId });
    const res = await h.call('functions.deploy', { spec, deployId, wait: true });
    await sub.done;
    const last = sub.events.at(-1)!;
    expect(last.diagnostics).toEqual([{ ...marker, severity: 'warning', endLine: 4, endColumn: 14 }]);
    expect(last.steps.find((s) => s.id === 'build')?.detail).toMatch(/1 type warning/);
    expect((await invokeUntilReady(ns, 'typed', res.revision)).text).toBe('7200000');
    // The editor's check (validate) finds the same, from the install cached by the deploy.
    const v = await h.call('functions.validate', { spec });
    expect(v.ok).toBe(true);
    expect(v.diagnostics).toEqual([expect.objectContaining({ ...marker, severity: 'warning' })]);
  }, 240_000);

  it("gives the editor the installed packages' declaration files, and Python's importable names", async () => {
    const deps = depsHandlers(h.ctx);
    const types = await deps['deps.types']({ runtime: 'nodejs', dependencies: spec.dependencies!, lockfile: null, image: null });
    expect(types.state).toBe('installed');
    expect(types.packages).toEqual(expect.arrayContaining([{ name: 'ms', version: '2.1.3' }, { name: '@types/ms', version: '2.1.0', dev: true }]));
    const paths = types.typeFiles.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['node_modules/@types/ms/index.d.ts', 'node_modules/@types/ms/package.json']));
    expect(types.typeFiles.find((f) => f.path === 'node_modules/@types/ms/index.d.ts')!.content).toMatch(/declare function ms/);
    expect(types.truncated).toBe(false);
    const missing = await deps['deps.types']({ runtime: 'nodejs', dependencies: '{"dependencies":{"left-pad":"1.3.0"}}', lockfile: null, image: null });
    expect(missing).toMatchObject({ state: 'missing', typeFiles: [] });
    const installed = await deps['deps.install']({ runtime: 'python', dependencies: 'six==1.16.0\nmarkupsafe==2.1.5\n', lockfile: null, image: null });
    expect(installed.lockfile.path).toBe('requirements.lock');
    const py = await deps['deps.types']({ runtime: 'python', dependencies: 'six==1.16.0\nmarkupsafe==2.1.5\n', lockfile: installed.lockfile.content, image: null });
    expect(py).toMatchObject({ state: 'installed', pythonModules: ['markupsafe', 'six'] });
  }, 120_000);

  it('before the packages are installed, their imports are not reported missing, and the warning says why', async () => {
    const other = harness(ns); // an engine whose cache has nothing
    try {
      const v = await other.call('functions.validate', { spec });
      expect(v.diagnostics).toEqual([]);
      expect(v.warnings.join(' ')).toMatch(/without your packages, which are not installed on this computer yet/);
    } finally {
      await other.dispose();
    }
  }, 60_000);

  it('stops the deploy when the setting says type errors block it', async () => {
    const strict = harness(ns, { typeErrorsBlockDeploy: true }, { home });
    try {
      let error: FuncdeckError | null = null;
      await strict.call('functions.deploy', { spec: { ...spec, name: 'typed-strict' }, wait: true }).catch((e: FuncdeckError) => (error = e));
      expect(error).toBeInstanceOf(FuncdeckError);
      expect(error!.code).toBe('BUILD_FAILED');
      expect(error!.message).toMatch(/^Type error: handler\.ts:4:9: Type 'number' is not assignable/);
      expect((error!.details as { diagnostics: unknown[] }).diagnostics).toEqual([expect.objectContaining({ ...marker, severity: 'error' })]);
    } finally {
      await strict.dispose();
    }
  }, 120_000);
});
