import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuncdeckError } from '../../shared/contract/errors';
import type { FunctionSpecInput } from '../../shared/contract/functions';
import { core, createNamespace, deleteNamespace, eventually, harness, invoke, invokeUntilReady, type FunctionsHarness } from './support-functions';

/**
 * Live update on the dev cluster: saved code goes into the serving revision's running pods through
 * the API server (pod exec) and the next call runs it, with no new revision. A pod deleted meanwhile
 * comes back with the revision's code and live.status says so; Deploy makes the live code a revision.
 */
let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('live');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

const SPECS: Record<'nodejs' | 'python', (v: string, helper?: string) => FunctionSpecInput> = {
  nodejs: (v, helper = 'one') => ({
    name: 'live-node',
    runtime: 'nodejs',
    handler: 'handler.main',
    files: [
      { path: 'handler.js', content: `const h = require('./helper');\nexports.main = () => '${v} ' + h.word;\n` },
      { path: 'helper.js', content: `exports.word = '${helper}';\n` },
    ],
  }),
  python: (v, helper = 'one') => ({
    name: 'live-py',
    runtime: 'python',
    handler: 'handler.main',
    files: [
      { path: 'handler.py', content: `import helper\n\ndef main(event, context):\n    return "${v} " + helper.word\n` },
      { path: 'helper.py', content: `word = "${helper}"\n` },
    ],
  }),
};

describe.each(['nodejs', 'python'] as const)('live update, %s', (runtime) => {
  const spec = SPECS[runtime];
  const fn = spec('x').name;

  it('save -> the next call runs the new code, without a new revision; only changed files travel; settings need a deploy', async () => {
    await h.call('functions.deploy', { spec: spec('v1'), wait: true });
    expect((await invokeUntilReady(ns, fn, 1)).text).toBe('v1 one');
    const status = h.subscribe('live.status', { name: fn });
    try {
      const pushed = await h.call('live.push', { spec: spec('v2') });
      expect(pushed).toMatchObject({ name: fn, revision: 1 });
      expect(pushed.pods).toEqual([expect.objectContaining({ ok: true, generation: 1, error: null })]);
      // The very next call, with no waiting: the push answered once the new code had loaded.
      expect((await invoke(ns, fn)).text).toBe('v2 one');
      const again = await h.call('live.push', { spec: spec('v2', 'two') });
      expect(again.changedFiles).toBe(1); // helper only
      expect((await invoke(ns, fn)).text).toBe('v2 two');
      expect((await h.call('revisions.list', { name: fn })).revisions.map((r) => r.number)).toEqual([1]);
      await eventually(async () => expect(status.events.at(-1)).toMatchObject({ live: true, revision: 1, pods: [expect.objectContaining({ code: 'live', generation: 2 })] }));

      const withDeps = { ...spec('v3'), dependencies: runtime === 'nodejs' ? '{"dependencies":{"ms":"2.1.3"}}' : 'six==1.16.0\n' };
      const refused = await h.call('live.push', { spec: withDeps }).catch((e: FuncdeckError) => e);
      expect(refused).toBeInstanceOf(FuncdeckError);
      expect((refused as FuncdeckError).code).toBe('UNSUPPORTED');
      expect((refused as FuncdeckError).message).toMatch(/pushes code only, and the dependencies .* changed since revision 1\. Deploy to apply it/);
      expect((await invoke(ns, fn)).text).toBe('v2 two');
    } finally {
      status.stop();
    }
  }, 240_000);

  it('a pod deleted meanwhile comes back with the revision code, and live.status says so', async () => {
    const status = h.subscribe('live.status', { name: fn });
    try {
      const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: `funcdeck.dev/function=${fn}` });
      for (const p of pods.items) await core.deleteNamespacedPod({ namespace: ns, name: p.metadata!.name!, gracePeriodSeconds: 0 });
      await eventually(async () => expect((await invoke(ns, fn, { timeoutMs: 5000 })).text).toBe('v1 one'), 120_000);
      await eventually(async () => {
        const last = status.events.at(-1)!;
        expect(last).toMatchObject({ live: false, revision: 1, pods: [expect.objectContaining({ code: 'revision', generation: 0 })] });
        expect(last.notice).toMatch(/started with revision 1's code, not your live edits/);
      });
    } finally {
      status.stop();
    }
  }, 240_000);

  it('Deploy turns the live code into a revision equal to it', async () => {
    await h.call('live.push', { spec: spec('v4') });
    expect((await invoke(ns, fn)).text).toBe('v4 one');
    const res = await h.call('functions.deploy', { spec: spec('v4'), wait: true });
    expect(res.revision).toBe(2);
    const source = await h.call('revisions.source', { name: fn, revision: 2 });
    expect(source.files).toEqual(spec('v4').files);
    expect((await invokeUntilReady(ns, fn, 2)).text).toBe('v4 one');
    const status = h.subscribe('live.status', { name: fn });
    try {
      await eventually(async () => expect(status.events.at(-1)).toMatchObject({ live: false, revision: 2 }));
    } finally {
      status.stop();
    }
  }, 240_000);
});
