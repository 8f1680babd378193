import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { LogsFollowParams, type LogsBatch } from '../../shared/contract/logs';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { logsHandlers } from '../../electron/engine/logs/handlers';
import { createNamespace, deleteNamespace, deployWorkload, recordingSink, sleep, storedLines, testEngine, type TestEngine } from '../../test/integration/support-observe';
import { recordFigure } from '../support/figures';
import { spawnKubectl } from '../support/kubectl';

/**
 * A function printing 20,000 lines/s for 10 s: how many distinct lines the engine's store holds
 * (target: every one), beside `kubectl logs -f` of the same pod in the same run.
 */
const RATE = 20_000;
const SECONDS = 10;
const COUNT = RATE * SECONDS;

let ns: string;
let engine: TestEngine;
beforeAll(async () => {
  ns = await createNamespace('bench-flood');
  engine = await testEngine(ns);
  await deployWorkload(ns, 'flood');
});
afterAll(async () => {
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
});

/** Distinct n of lines "F n", 1..COUNT. */
function distinct(texts: Iterable<string>): number {
  const seen = new Set<number>();
  for (const t of texts) {
    const m = / F (\d+)$|^F (\d+)$/.exec(t);
    if (m) seen.add(Number(m[1] ?? m[2]));
  }
  return seen.size;
}

describe('bench: 20,000 lines/s', () => {
  it('the engine keeps every line, beside kubectl logs -f', { timeout: 300_000 }, async () => {
    const logs = logsHandlers(engine.ctx);
    const invoke = invokeHandlers(engine.ctx).calls;
    const sink = recordingSink<LogsBatch>();
    const done = logs.streams['logs.follow'](LogsFollowParams.parse({ function: 'flood', tailLines: 0 }), sink);
    await sink.until((ev) => ev.some((e) => e.status?.pods.some((p) => p.state === 'following')), 20_000, 'following');

    const kubectlLines: string[] = [];
    const kl = spawnKubectl(['-n', ns, 'logs', '-f', '--tail=0', 'deploy/flood-r1'], (line) => kubectlLines.push(line));
    await sleep(1500); // kubectl attached

    const t0 = Date.now();
    await invoke['invoke.send'](InvokeRequest.parse({ function: 'flood', path: '/ticker', query: [{ name: 'rate', value: String(RATE) }, { name: 'count', value: String(COUNT) }, { name: 'tag', value: 'F' }] }));
    await sink.until((ev) => ev.some((e) => e.lines.some((l) => l.text === `F ${COUNT}`)), 240_000, 'the last flood line');
    const lastInStreamMs = Date.now() - t0;
    await sleep(2000); // kubectl's tail end
    kl.kill();
    sink.unsubscribe();
    await done;

    const stored = await storedLines(logs, 'flood', 'F ');
    const ours = distinct(stored.map((l) => l.text));
    const theirs = distinct(kubectlLines);
    const span = (Date.parse(stored.at(-1)!.ts) - Date.parse(stored[0]!.ts)) / 1000;
    expect(stored.length).toBeGreaterThan(0);
    recordFigure({
      name: `lines kept of ${COUNT} printed at ${RATE} lines/s`,
      unit: 'lines',
      value: ours,
      baseline: { name: 'kubectl logs -f', value: theirs },
      target: { text: `all ${COUNT}, none doubled`, met: ours === COUNT && stored.length === COUNT },
      detail: `printed over ${span.toFixed(2)} s by kubelet timestamps; last line in the engine's stream ${lastInStreamMs} ms after the request; ${stored.length} stored`,
    });
  });
});
