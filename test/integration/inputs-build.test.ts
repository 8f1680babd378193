import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuncdeckError } from '../../shared/contract';
import { core, createNamespace, deleteNamespace, harness, invokeUntilReady, type FunctionsHarness } from './support-functions';

/** Bad inputs on the way to the cluster: a clear, located error and nothing written; the engine keeps working. */
let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('inputs');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

const rejection = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('expected a rejection')), (e: FuncdeckError) => e);

describe('deploying bad inputs', () => {
  it('source nested 100,000 levels is BUILD_FAILED at its file and line, nothing is written, and the next deploy works', async () => {
    const deep = `exports.main = () => 1;\nexports.data = ${'['.repeat(100_000)}${']'.repeat(100_000)};\n`;
    const e = await rejection(h.call('functions.deploy', { spec: { name: 'deep', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: deep }] } }));
    expect(e).toMatchObject({ code: 'BUILD_FAILED', message: expect.stringMatching(/^Build failed: handler\.js:2:1: This code is nested too deeply/) });
    expect((await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'funcdeck.dev/function=deep' })).items).toEqual([]);

    const ok = await h.call('functions.deploy', {
      spec: { name: 'deep', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: "exports.main = () => 'flat';\n" }] },
      wait: true,
    });
    expect(ok).toMatchObject({ revision: 1, ready: true });
    expect((await invokeUntilReady(ns, 'deep', 1)).text).toBe('flat');
  });

  it('handler.ts beside handler.js is INVALID_SPEC naming both, before anything is written', async () => {
    const files = [
      { path: 'handler.js', content: 'exports.main = () => 1;\n' },
      { path: 'handler.ts', content: 'export const main = () => 2;\n' },
    ];
    const e = await rejection(h.call('functions.deploy', { spec: { name: 'twin', runtime: 'nodejs', handler: 'handler.main', files } }));
    expect(e).toMatchObject({ code: 'INVALID_SPEC', message: expect.stringContaining('handler.js and handler.ts would both be deployed as handler.js, so the handler "handler.main" could mean either') });
    expect((await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'funcdeck.dev/function=twin' })).items).toEqual([]);
  });

  it('unknown spec fields are named in the validate step of the deploy, which goes ahead', async () => {
    const deployId = 'inputs-unknown-fields';
    const progress = h.subscribe('deploy.progress', { deployId });
    const spec = { name: 'labelled', runtime: 'nodejs' as const, handler: 'handler.main', lables: { team: 'a' }, memory: '1Gi', files: [{ path: 'handler.js', content: 'exports.main = () => 1;\n' }] };
    expect(await h.call('functions.deploy', { spec, deployId })).toMatchObject({ revision: 1, created: true });
    await progress.done;
    const validate = progress.events.flatMap((ev) => ev.steps).find((s) => s.id === 'validate' && s.state === 'done');
    expect(validate?.detail).toContain('The spec has a field "lables" that Funcdeck does not know; it was ignored.');
    expect(validate?.detail).toContain('The spec has a field "memory" that Funcdeck does not know; it was ignored. (Did you mean "size"? It sets memory and CPU.)');
  });
});
