import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median, recordFigure } from '../support/figures';
import { kubectl } from '../support/kubectl';
import { buildFunction } from '../../electron/engine/build/build';
import { parseSpec } from '../../electron/engine/functions/spec';
import { functionService, revisionConfigMap, revisionDeployment } from '../../electron/engine/deploy/manifests';
import { cluster, createNamespace, deleteNamespace, harness, invokeUntilReady, nodeSpec, sleep, type FunctionsHarness } from '../../test/integration/support-functions';

/**
 * How long a changed handler takes from the deploy call to the first answer from its new revision,
 * median of 5, beside a baseline in the same run: kubectl applying the same objects and
 * `kubectl rollout status`, then the same invoke. Target: a median of 1.5 s or less.
 */
let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('fn-speed');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

/** Time from `started` until the function answers from `revision`. */
async function firstAnswerFrom(fn: string, revision: number, started: number): Promise<number> {
  await invokeUntilReady(ns, fn, revision);
  return performance.now() - started;
}

describe('bench: changed handler -> new revision answers', () => {
  it('measures Funcdeck deploy and a kubectl baseline', async () => {
    const spec = (i: number) => nodeSpec('speedy', `exports.main = async () => 'edit ${i}';\n`);
    await h.call('functions.deploy', { spec: spec(0), wait: true });
    const funcdeck: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const t0 = performance.now();
      const res = await h.call('functions.deploy', { spec: spec(i) });
      funcdeck.push(await firstAnswerFrom('speedy', res.revision, t0));
      await sleep(500);
    }

    // Baseline: the same objects applied by kubectl, waited for with `kubectl rollout status`.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-speed-'));
    const baseline: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const s = parseSpec(nodeSpec('basefn', `exports.main = async () => 'base ${i}';\n`)).spec!;
      const build = await buildFunction(s, cluster.images.nodejs);
      const input = { namespace: ns, spec: s, build, revision: i, image: cluster.images.nodejs, created: new Date().toISOString() };
      const file = path.join(dir, `r${i}.json`);
      fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [revisionConfigMap(input), revisionDeployment(input, 1), functionService(ns, 'basefn', i)] }));
      const t0 = performance.now();
      kubectl('-n', ns, 'apply', '--server-side', '--force-conflicts', '-f', file);
      kubectl('-n', ns, 'rollout', 'status', `deployment/basefn-r${i}`, '--timeout=60s');
      baseline.push(await firstAnswerFrom('basefn', i, t0));
      await sleep(500);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
    recordFigure({
      name: 'changed handler deployed -> new revision answers (median of 5)',
      unit: 'ms',
      value: median(funcdeck),
      baseline: { name: 'kubectl apply --server-side + rollout status', value: median(baseline) },
      target: { text: '<= 1500 ms', met: median(funcdeck) <= 1500 },
      detail: `Funcdeck ${fmt(funcdeck)}; kubectl ${fmt(baseline)}`,
    });
    expect(funcdeck).toHaveLength(5);
    expect(baseline).toHaveLength(5);
  });
});
