import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { RUNTIMES } from '../../electron/engine/runtimes/registry';
import { core, createNamespace, deleteNamespace, harness, nodeSpec, type FunctionsHarness } from '../../test/integration/support-functions';
import { waitReady } from '../../test/integration/support-observe';
import { median, quantile as p, recordFigure } from '../support/figures';

/**
 * Warm invoke through the engine, today's runtime servers beside the previous ones, same run:
 * each runtime is deployed twice with the same handler; in one of the two the revision's server
 * file is swapped for the one at FUNCDECK_BENCH_RUNTIME_BASE (the commit before the handler moved
 * to a worker thread / worker process) and its pod restarted. Calls alternate between the two.
 * Target: the median stays within 1 ms of the previous runtime's. For Python a third copy runs the
 * previous server with TCP_NODELAY (which the new one sets), to tell the worker process's cost apart
 * from the delayed-ACK stall the previous server had.
 */
const BASE = process.env.FUNCDECK_BENCH_RUNTIME_BASE ?? '8430b80';
const root = path.resolve(import.meta.dirname, '..', '..');
const oldSource = (file: string) => execFileSync('git', ['show', `${BASE}:electron/engine/runtimes/${file}`], { cwd: root, encoding: 'utf8' });

// Each handler says whether it runs on the server's main thread / in PID 1, to prove which server answers.
const JS = "exports.main = async () => ({ main: require('node:worker_threads').isMainThread });";
const PY = "import os\n\ndef main(event, context):\n    return {'main': os.getpid() == 1}\n";

const NODELAY = (src: string) => src.replace('    server_version = "funcdeck-python"\n', '    server_version = "funcdeck-python"\n    disable_nagle_algorithm = True\n');
const cases = [
  { runtime: 'nodejs' as const, label: 'Node.js', spec: (name: string) => nodeSpec(name, JS), oldFile: 'nodejs/server.cjs', nodelay: null },
  {
    runtime: 'python' as const,
    label: 'Python',
    spec: (name: string) => ({ name, runtime: 'python' as const, handler: 'handler.main', files: [{ path: 'handler.py', content: PY }] }),
    oldFile: 'python/server.py',
    nodelay: NODELAY,
  },
];

let ns: string;
let h: FunctionsHarness;

/** Swaps the revision's server file for the previous runtime's and restarts the pod on it. */
async function runPreviousServer(fn: string, runtime: 'nodejs' | 'python', oldFile: string, transform?: (src: string) => string) {
  const name = `${fn}-r1`;
  const cm = await core.readNamespacedConfigMap({ name, namespace: ns });
  const original = oldSource(oldFile);
  const source = transform ? transform(original) : original;
  if (transform && source === original) throw new Error(`could not patch ${oldFile} at ${BASE}`);
  cm.data![RUNTIMES[runtime].serverFile] = source;
  await core.replaceNamespacedConfigMap({ name, namespace: ns, body: cm });
  const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: `funcdeck.dev/function=${fn}` });
  await Promise.all(pods.items.map((pod) => core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: ns, gracePeriodSeconds: 0 })));
  await waitReady(ns, fn, 1);
}

beforeAll(async () => {
  ns = await createNamespace('rtbench');
  h = harness(ns);
  const names = (c: (typeof cases)[number]) => [`${c.runtime}-new`, `${c.runtime}-old`, ...(c.nodelay ? [`${c.runtime}-old-nodelay`] : [])];
  await Promise.all(cases.flatMap((c) => names(c).map((name) => h.call('functions.deploy', { spec: c.spec(name), wait: true }))));
  await Promise.all(
    cases.flatMap((c) => [
      runPreviousServer(`${c.runtime}-old`, c.runtime, c.oldFile),
      ...(c.nodelay ? [runPreviousServer(`${c.runtime}-old-nodelay`, c.runtime, c.oldFile, c.nodelay)] : []),
    ]),
  );
});

afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('bench: warm invoke, runtime servers before and after moving the handler off the main thread', () => {
  it.each(cases)('$label', async ({ runtime, label, nodelay }) => {
    const calls = invokeHandlers(h.ctx).calls;
    const send = async (fn: string) => {
      const t0 = performance.now();
      const r = await calls['invoke.send'](InvokeRequest.parse({ function: fn, path: '/' }));
      const ms = performance.now() - t0;
      expect(r.status).toBe(200);
      return { ms, main: (JSON.parse(r.body.content) as { main: boolean }).main };
    };
    const fresh = `${runtime}-new`;
    const old = `${runtime}-old`;
    const fns = [fresh, old, ...(nodelay ? [`${runtime}-old-nodelay`] : [])];
    for (let i = 0; i < 20; i++) {
      // The new server runs the handler off its main thread / outside PID 1; the previous ones on it.
      for (const fn of fns) expect((await send(fn)).main).toBe(fn !== fresh);
    }
    const times = new Map<string, number[]>(fns.map((fn) => [fn, []]));
    for (let i = 0; i < 200; i++) {
      const order = fns.map((_, k) => fns[(i + k) % fns.length]!); // rotate who goes first
      for (const fn of order) times.get(fn)!.push((await send(fn)).ms);
    }
    const ours = times.get(fresh)!;
    const base = times.get(old)!;
    const delta = median(ours) - median(base);
    const nd = nodelay ? times.get(`${runtime}-old-nodelay`)! : null;
    recordFigure({
      name: `warm invoke, ${label} runtime, median of 200 (interleaved)`,
      unit: 'ms',
      value: median(ours),
      baseline: { name: `the previous ${label} runtime (${BASE}), same handler`, value: median(base) },
      target: { text: 'at most 1 ms over the previous runtime', met: delta <= 1 },
      detail:
        `difference ${delta.toFixed(2)} ms; p90 ${p(ours, 0.9).toFixed(2)} vs ${p(base, 0.9).toFixed(2)} ms` +
        (nd ? `; the previous server with TCP_NODELAY: median ${median(nd).toFixed(2)} ms, p90 ${p(nd, 0.9).toFixed(2)} ms` : ''),
    });
  });
});
