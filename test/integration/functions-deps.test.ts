import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployResult, FunctionSpecInput } from '../../shared/contract/functions';
import { core, createNamespace, deleteNamespace, eventually, harness, invokeUntilReady, nodeSpec, type FunctionsHarness } from './support-functions';

/**
 * Dependencies are installed on this machine (npm, pip) for the image's platform and delivered to
 * the pod through the API server; the dev cluster's pods reach no registry, so a function that
 * answers here proves the offline path. Each function also survives its pod being deleted while
 * no engine runs, and a second deploy of the same manifest installs nothing.
 */
let ns: string;
let home: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('fn-deps');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-it-deps-home-'));
  h = harness(ns, {}, { home });
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

async function deployWithLog(harnessed: FunctionsHarness, spec: FunctionSpecInput): Promise<{ result: DeployResult; log: string }> {
  const deployId = `deps-${spec.name}-${Date.now()}`;
  const sub = harnessed.subscribe('deploy.progress', { deployId });
  try {
    const result = await harnessed.call('functions.deploy', { spec, deployId, wait: true });
    await sub.done;
    return { result, log: sub.events.flatMap((e) => e.buildLog).join('\n') };
  } catch (e) {
    await sub.done.catch(() => undefined);
    console.log(`[deps] ${spec.name} failed; build log:\n${sub.events.flatMap((x) => x.buildLog).slice(-20).join('\n')}`);
    throw e;
  }
}

/** Deletes the function's pods and waits for the ReplicaSet's new one to answer, with no engine involved. */
async function restartPods(fn: string, revision: number): Promise<string> {
  const before = await core.listNamespacedPod({ namespace: ns, labelSelector: `funcdeck.dev/function=${fn}` });
  const names = before.items.map((p) => p.metadata!.name!);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) await core.deleteNamespacedPod({ namespace: ns, name, gracePeriodSeconds: 0 });
  await eventually(async () => {
    const now = await core.listNamespacedPod({ namespace: ns, labelSelector: `funcdeck.dev/function=${fn}` });
    const fresh = now.items.filter((p) => !names.includes(p.metadata!.name!) && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    expect(fresh.length).toBeGreaterThan(0);
  }, 120_000);
  return (await invokeUntilReady(ns, fn, revision, 60_000)).text;
}

const lodashSpec = (extraFiles: Array<{ path: string; content: string }> = []) =>
  nodeSpec('lodash-fn', "const _ = require('lodash');\nexports.main = () => _.kebabCase('Hello Funcdeck') + ' ' + _.VERSION;\n", {
    dependencies: JSON.stringify({ name: 'lodash-fn', dependencies: { lodash: '4.17.21' } }, null, 2),
    files: [{ path: 'handler.js', content: "const _ = require('lodash');\nexports.main = () => _.kebabCase('Hello Funcdeck') + ' ' + _.VERSION;\n" }, ...extraFiles],
  });

describe('dependencies installed on this machine, delivered offline', () => {
  let lodashLock: { path: string; content: string } | undefined;

  it('a Node.js function using lodash deploys and answers with no registry reachable from the pod', async () => {
    const { result, log } = await deployWithLog(h, lodashSpec());
    expect(result.ready).toBe(true);
    expect(log).toMatch(/Installing dependencies on this computer/);
    expect(log).toMatch(/Dependencies: resolved \d+, downloaded \d+, installed 1/);
    lodashLock = result.lockfile;
    expect(lodashLock?.path).toBe('package-lock.json');
    expect(JSON.parse(lodashLock!.content).packages['node_modules/lodash'].version).toBe('4.17.21');
    expect((await invokeUntilReady(ns, 'lodash-fn', result.revision)).text).toBe('hello-funcdeck 4.17.21');
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'funcdeck.dev/function=lodash-fn' });
    expect(pods.items[0]?.spec?.initContainers ?? []).toEqual([]); // nothing installs in the cluster
    // The revision records the exact versions it runs: the lockfile is among its files.
    const source = await h.call('revisions.source', { name: 'lodash-fn', revision: result.revision });
    expect(source.files.find((f) => f.path === 'package-lock.json')?.content).toBe(lodashLock!.content);
  }, 240_000);

  it('a deleted pod comes back with its dependencies while no engine runs', async () => {
    await h.dispose();
    expect(await restartPods('lodash-fn', 1)).toBe('hello-funcdeck 4.17.21');
    h = harness(ns, {}, { home });
  }, 240_000);

  it('deploying the same manifest again installs nothing, with or without the lockfile it returned', async () => {
    const again = await deployWithLog(h, lodashSpec());
    expect(again.log).toMatch(/nothing installed/);
    expect(again.log).not.toMatch(/Installing dependencies on this computer/);
    expect(again.result).toMatchObject({ revision: 1, created: false });
    const withLock = await deployWithLog(h, lodashSpec([lodashLock!]));
    expect(withLock.log).toMatch(/nothing installed/);
    expect(withLock.result).toMatchObject({ revision: 1, created: false });
    expect(withLock.result.lockfile).toBeUndefined(); // unchanged: nothing new for the editor
  }, 240_000);

  it('a TypeScript function uses a typed package; its development types are not shipped', async () => {
    const spec: FunctionSpecInput = {
      name: 'ts-ms',
      runtime: 'nodejs',
      language: 'typescript',
      handler: 'handler.main',
      files: [{ path: 'handler.ts', content: "import ms from 'ms';\nexport async function main(): Promise<string> {\n  const n: number = ms('2h');\n  return String(n);\n}\n" }],
      dependencies: JSON.stringify({ dependencies: { ms: '2.1.3' }, devDependencies: { '@types/ms': '2.1.0' } }),
    };
    const { result } = await deployWithLog(h, spec);
    expect((await invokeUntilReady(ns, 'ts-ms', result.revision)).text).toBe('7200000');
    const lock = JSON.parse(result.lockfile!.content) as { packages: Record<string, { dev?: boolean }> };
    expect(lock.packages['node_modules/@types/ms']?.dev).toBe(true);
    const pod = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'funcdeck.dev/function=ts-ms' })).items[0]!;
    const stored = await core.readNamespacedConfigMap({ namespace: ns, name: `ts-ms-r${result.revision}` });
    expect(JSON.parse(stored.data!['dependencies.json']!).packages).toEqual([{ name: 'ms', version: '2.1.3' }]);
    expect(pod.spec?.volumes?.some((v) => v.name === 'deps-archive')).toBe(true);
  }, 240_000);

  it('Python with a pure-Python package and a compiled wheel for the image deploys, answers and survives a pod restart', async () => {
    const spec: FunctionSpecInput = {
      name: 'py-deps',
      runtime: 'python',
      handler: 'handler.main',
      files: [
        {
          path: 'handler.py',
          content: 'import six\nimport markupsafe\nfrom markupsafe import _speedups\n\ndef main(event, context):\n    return "%s %s %s" % (six.__version__, markupsafe.escape("<b>"), _speedups.__file__.rsplit("/", 1)[1].split(".")[1])\n',
        },
      ],
      dependencies: 'six==1.16.0\nmarkupsafe==2.1.5  # has a C extension: a manylinux wheel for the image\n',
    };
    const { result, log } = await deployWithLog(h, spec);
    expect(log).toMatch(/Collecting|downloaded/);
    expect(result.lockfile?.path).toBe('requirements.lock');
    expect(result.lockfile?.content).toMatch(/^MarkupSafe==2\.1\.5 \\\n {4}--hash=sha256:[0-9a-f]{64}$/m);
    const expected = '1.16.0 &lt;b&gt; cpython-311-x86_64-linux-gnu';
    expect((await invokeUntilReady(ns, 'py-deps', result.revision)).text).toBe(expected);
    await h.dispose();
    expect(await restartPods('py-deps', result.revision)).toBe(expected);
    h = harness(ns, {}, { home });
    const again = await deployWithLog(h, { ...spec, files: [...spec.files, result.lockfile!] });
    expect(again.log).toMatch(/nothing installed/);
    expect(again.result).toMatchObject({ revision: result.revision, created: false });
  }, 300_000);

  it('revisions with the same install share its parts', async () => {
    const spec = lodashSpec();
    const next = await deployWithLog(h, { ...spec, files: [{ path: 'handler.js', content: spec.files[0]!.content.replace('Hello', 'Bye') }] });
    expect(next.result.revision).toBe(2);
    const parts = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'funcdeck.dev/function=lodash-fn,funcdeck.dev/dependencies' });
    expect(parts.items.length).toBe(1); // one archive, shared by revisions 1 and 2
  }, 240_000);
});
