import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeRequest } from '../../shared/contract/invoke';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { cluster, createNamespace, deleteNamespace, deployWorkload, testEngine, type TestEngine } from './support-observe';

/**
 * Memory of a whole engine (own process) streaming logs and metrics of a busy function:
 * FUNCDECK_SOAK_SECONDS long (600 for the 10-minute figure; skipped when unset, it is slow).
 * The function prints 1,000 lines/s and gets ~5 invokes/s meanwhile.
 */
const seconds = Number(process.env.FUNCDECK_SOAK_SECONDS ?? 0);
const d = seconds > 0 ? describe : describe.skip;

let ns: string;
let engine: TestEngine;

beforeAll(async () => {
  if (!(seconds > 0)) return;
  ns = await createNamespace('soak');
  engine = await testEngine(ns);
  await deployWorkload(ns, 'soak');
});

afterAll(async () => {
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
});

d('engine memory while streaming', () => {
  it(`stays under 150 MB RSS after ${seconds} s of logs and metrics`, { timeout: (seconds + 120) * 1000 }, async () => {
    const invoke = invokeHandlers(engine.ctx).calls;
    const count = 1000 * (seconds + 10);
    await invoke['invoke.send'](InvokeRequest.parse({ function: 'soak', path: '/ticker', query: [{ name: 'rate', value: '1000' }, { name: 'count', value: String(count) }, { name: 'tag', value: 'S' }] }));
    // Bundled like build/scripts/build-node.mjs bundles the app, and run by plain Node: the RSS is the engine's.
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-soak-bundle-'));
    const raw: Plugin = {
      name: 'raw',
      setup(b) {
        b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.slice(0, -4)), namespace: 'raw' }));
        b.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
      },
    };
    await build({
      entryPoints: [path.join(import.meta.dirname, 'support-observe-soak.ts')],
      outfile: path.join(outDir, 'soak.mjs'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      logLevel: 'warning',
      plugins: [raw],
      define: { __FUNCDECK_VERSION__: '"soak"' },
      banner: { js: "import { createRequire as __fdRequire } from 'node:module'; const require = __fdRequire(import.meta.url);" },
    });
    const child = spawn(process.execPath, ['--expose-gc', path.join(outDir, 'soak.mjs'), ns, 'soak', String(seconds), cluster.kubeconfigPath, cluster.context], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const reports: Array<{ phase: string; rssMB: number; heapMB: number; lines: number; lastSeq: number; dropped: number; samples: number; errors: string[] }> = [];
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const p of parts) {
        try {
          reports.push(JSON.parse(p));
          console.log(`[soak] ${p}`);
        } catch {
          // not a report line
        }
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
    await traffic;
    await fs.rm(outDir, { recursive: true, force: true });
    expect(code).toBe(0);
    const end = reports.find((r) => r.phase === 'end')!;
    expect(end.errors).toEqual([]);
    expect(end.lines).toBeGreaterThan(seconds * 500);
    expect(end.samples).toBeGreaterThan(seconds * 0.5);
    expect(end.rssMB).toBeLessThan(150);
  });
});
