import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { watchCollection, type KubeObject } from '../../electron/engine/kube/watch';
import { cluster, core, createNamespace, deleteNamespace, harness, invokeUntilReady, nodeSpec, type FunctionsHarness } from '../../test/integration/support-functions';

/** Where a redeploy's time goes: prints a timeline (apply, pod phases seen by a watch, traffic, first answer). */
let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('fn-timeline');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('deploy timeline', () => {
  it('prints where the time goes', async () => {
    await h.call('functions.deploy', { spec: nodeSpec('tl', "exports.main = () => 'v0';"), wait: true });
    const marks: Array<[string, number]> = [];
    const ac = new AbortController();
    const t0 = performance.now();
    const seen = new Set<string>();
    void watchCollection<KubeObject>(cluster.kc, { path: `/api/v1/namespaces/${ns}/pods`, labelSelector: 'funcdeck.dev/revision=2' }, {
      signal: ac.signal,
      batchMs: 1,
      onBatch(items) {
        for (const p of items as unknown as V1Pod[]) {
          const c = p.status?.containerStatuses?.[0];
          const steps: Array<[string, boolean]> = [
            ['pod created', true],
            ['scheduled', !!p.spec?.nodeName],
            ['container running', !!c?.state?.running],
            ['container ready', !!c?.ready],
          ];
          for (const [k, ok] of steps) if (ok && !seen.has(k)) {
            seen.add(k);
            marks.push([k, performance.now() - t0]);
          }
        }
      },
    }).catch(() => undefined);
    const deployId = `tl-${Date.now()}`;
    const sub = h.subscribe('deploy.progress', { deployId });
    const res = await h.call('functions.deploy', { spec: nodeSpec('tl', "exports.main = () => 'v1';"), deployId });
    marks.push(['deploy call returned (applied)', performance.now() - t0]);
    await invokeUntilReady(ns, 'tl', res.revision);
    marks.push(['first answer from revision 2', performance.now() - t0]);
    await sub.done;
    const final = sub.events.at(-1)!;
    ac.abort();
    const events = await core.listNamespacedEvent({ namespace: ns });
    const unhealthy = events.items.filter((e) => e.reason === 'Unhealthy').map((e) => `${e.involvedObject.name}: ${e.message}`);
    marks.push([`readiness probe failures seen: ${unhealthy.length ? unhealthy.join(' | ') : 'none'}`, 0]);
    console.log(['[timeline]', ...marks.sort((a, b) => a[1] - b[1]).map(([k, ms]) => `  ${Math.round(ms).toString().padStart(5)} ms  ${k}`), '  steps: ' + final.steps.map((s) => `${s.id} ${s.ms} ms`).join(', ')].join('\n'));
    expect(final.phase).toBe('ready');
  });
});
