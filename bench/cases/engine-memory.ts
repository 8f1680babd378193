import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../../build/scripts/node-bundle.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { cluster, createNamespace, deleteNamespace, deployWorkload, testEngine, type TestEngine } from '../../test/integration/support-observe';
import { recordFigure } from '../support/figures';
import { spawnKubectl } from '../support/kubectl';

/**
 * Memory of a whole engine (own process) streaming logs and metrics of a busy function for
 * FUNCDECK_BENCH_SOAK_SECONDS (default 600: the 10-minute figure; target under 150 MB RSS).
 * The function prints 1,000 lines/s and gets ~5 invokes/s meanwhile. Baseline in the same run:
 * the RSS of `kubectl logs -f` following the same pod for the same time.
 */
const seconds = Number(process.env.FUNCDECK_BENCH_SOAK_SECONDS ?? 600);

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

let ns: string;
let engine: TestEngine;

beforeAll(async () => {
  ns = await createNamespace('soak');
  engine = await testEngine(ns);
  await deployWorkload(ns, 'soak');
});

afterAll(async () => {
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('bench: engine memory while streaming', () => {
  it(`stays under 150 MB RSS after ${seconds} s of logs and metrics`, { timeout: (seconds + 120) * 1000 }, async () => {
    const invoke = invokeHandlers(engine.ctx).calls;
    const count = 1000 * (seconds + 10);
    await invoke['invoke.send'](InvokeRequest.parse({ function: 'soak', path: '/ticker', query: [{ name: 'rate', value: '1000' }, { name: 'count', value: String(count) }, { name: 'tag', value: 'S' }] }));
    // Bundled like build/scripts/build-node.mjs bundles the app, and run by plain Node: the RSS is the engine's.
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-soak-bundle-'));
    await build({ ...nodeBundleOptions('soak'), entryPoints: [path.join(import.meta.dirname, '..', 'support', 'soak-engine.ts')], outfile: path.join(outDir, 'soak.mjs') });
    const child = spawn(process.execPath, ['--expose-gc', path.join(outDir, 'soak.mjs'), ns, 'soak', String(seconds), cluster.kubeconfigPath, cluster.context], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const kubectl = spawnKubectl(['-n', ns, 'logs', '-f', '--tail=200', 'deploy/soak-r1']);
    let kubectlRss = 0;
    const reports: Array<{ phase: string; rssMB: number; heapMB: number; lines: number; lastSeq: number; dropped: number; samples: number; errors: string[] }> = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const r = JSON.parse(line);
        reports.push(r);
        if (r.phase === 'end' && kubectl.pid) kubectlRss = rssMB(kubectl.pid);
        console.log(`[soak] ${line}`);
      } catch {
        // not a report line
      }
    });
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        await invoke['invoke.send'](InvokeRequest.parse({ function: 'soak', path: '/' })).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    stop = true;
    kubectl.kill();
    await traffic;
    await fs.rm(outDir, { recursive: true, force: true });
    expect(code).toBe(0);
    const end = reports.find((r) => r.phase === 'end')!;
    expect(end.errors).toEqual([]);
    expect(end.lines).toBeGreaterThan(seconds * 500);
    expect(end.samples).toBeGreaterThan(seconds * 0.5);
    recordFigure({
      name: `engine RSS after ${seconds} s of logs + metrics streaming`,
      unit: 'MB',
      value: end.rssMB,
      baseline: { name: 'kubectl logs -f of the same pod', value: kubectlRss },
      target: { text: '< 150 MB', met: end.rssMB < 150 },
      detail: `${end.lines} lines, ${end.samples} metric samples, heap ${end.heapMB} MB`,
    });
  });
});
