import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuncdeckError } from '../../shared/contract/errors';
import { cluster, core, createNamespace, deleteNamespace, harness, invokeUntilReady, nodeSpec, type FunctionsHarness } from './support-functions';

/**
 * Dependencies install in an init container before the handler starts, with its log streamed as the
 * build log. The dev cluster has no route to a package registry, so a real package cannot be fetched
 * here; the tests use a manifest whose install needs no network (a local file: dependency written by
 * the manifest itself is not possible), and one that must fetch, whose failure must be explained.
 */
let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('fn-deps');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('dependencies', () => {
  it('without dependencies there is no init container', async () => {
    await h.call('functions.deploy', { spec: nodeSpec('nodeps', "exports.main = () => 'x';", { dependencies: '{"name":"x","dependencies":{}}' }), wait: true });
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'funcdeck.dev/function=nodeps' });
    expect(pods.items[0]?.spec?.initContainers ?? []).toEqual([]);
  });

  it('an install that fails reports Failed with the build log streamed', async () => {
    const deployId = `deps-${Date.now()}`;
    const sub = h.subscribe('deploy.progress', { deployId });
    const spec = nodeSpec('withdeps', "const ms = require('ms'); exports.main = () => ms('2h');", {
      dependencies: JSON.stringify({ name: 'withdeps', dependencies: { ms: '2.1.3' } }),
    });
    let error: FuncdeckError | null = null;
    try {
      await h.call('functions.deploy', { spec, deployId, wait: true });
    } catch (e) {
      error = e as FuncdeckError;
    }
    await sub.done;
    const log = sub.events.flatMap((e) => e.buildLog);
    const last = sub.events.at(-1)!;
    console.log(`[deps] npm install ${error ? 'failed (no registry reachable)' : 'succeeded'}; build log tail:\n${log.slice(-5).join('\n')}`);
    if (error) {
      // No registry reachable (the dev cluster): the install fails and says so.
      expect(error.code).toBe('DEPLOY_FAILED');
      expect(last.reason).toMatch(/Installing dependencies failed/);
      expect(log.join('\n')).toMatch(/Installing dependencies from package.json/);
      expect(log.join('\n')).toMatch(/npm (ERR|error)/i);
    } else {
      // A registry is reachable (e.g. kind on a laptop): the package loads.
      expect(log.join('\n')).toMatch(/Dependencies installed/);
      expect((await invokeUntilReady(ns, 'withdeps', 1)).text).toBe('7200000');
    }
    void cluster;
  }, 240_000);

  it('Python requirements install the same way (pip --target), with the build log', async () => {
    const deployId = `pydeps-${Date.now()}`;
    const sub = h.subscribe('deploy.progress', { deployId });
    const spec = {
      name: 'pydeps',
      runtime: 'python' as const,
      handler: 'handler.main',
      files: [{ path: 'handler.py', content: 'import six\n\ndef main(event, context):\n    return six.__name__\n' }],
      dependencies: 'six==1.16.0\n',
    };
    let failed = false;
    try {
      await h.call('functions.deploy', { spec, deployId, wait: true });
    } catch {
      failed = true;
    }
    await sub.done;
    const log = sub.events.flatMap((e) => e.buildLog).join('\n');
    console.log(`[deps] pip install ${failed ? 'failed (no index reachable)' : 'succeeded'}`);
    expect(log).toMatch(/Installing dependencies from requirements.txt/);
    if (failed) expect(sub.events.at(-1)!.reason).toMatch(/Installing dependencies failed/);
    else expect((await invokeUntilReady(ns, 'pydeps', 1)).text).toBe('six');
  }, 240_000);
});
