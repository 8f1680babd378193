import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nodeBundleOptions } from '../../build/scripts/node-bundle.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const children: ChildProcess[] = [];
let bundleDir: string;
let entry: string;

// Browser mode's entry as `npm run web` runs it: bundled by esbuild (runtime servers inlined as text).
beforeAll(async () => {
  bundleDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-web-bundle-'));
  entry = path.join(bundleDir, 'web.mjs');
  await build({ ...nodeBundleOptions('test'), sourcemap: false, entryPoints: [path.join(here, 'main.ts')], outfile: entry });
}, 60_000);
afterAll(async () => {
  if (bundleDir) await fs.rm(bundleDir, { recursive: true, force: true });
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Runs browser mode on a data dir; resolves with its output once it is serving or has exited. */
function startWeb(dataDir: string): Promise<{ child: ChildProcess; out: string; code: number | null; serving: boolean }> {
  const child = spawn(process.execPath, [entry], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: dataDir, FUNCDECK_DATA_DIR: dataDir, KUBECONFIG: path.join(dataDir, 'no-kubeconfig') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`browser mode neither served nor exited within 30 s: ${out}`)), 30_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(deadline);
        resolve({ child, out, code: null, serving: true });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(deadline);
      resolve({ child, out, code, serving: false });
    });
  });
}

describe('browser mode on a data dir another engine uses', () => {
  it('refuses to start, naming the running engine’s pid and what to do; starts once that one is gone, even after kill -9', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-web-lock-'));
    const first = await startWeb(dir);
    expect(first.serving).toBe(true);
    const second = await startWeb(dir);
    expect(second.serving).toBe(false);
    expect(second.code).toBe(1);
    expect(second.out).toContain(`pid ${first.child.pid}`);
    expect(second.out).toContain(dir);
    expect(second.out).toMatch(/Ctrl\+C|kill \d+/);
    expect(second.out).toContain('FUNCDECK_DATA_DIR');
    // The first one dies without cleaning up: its lock is stale and the next start takes it over.
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const third = await startWeb(dir);
    expect(third.serving).toBe(true);
    third.child.kill('SIGTERM');
    await new Promise((r) => third.child.once('exit', r));
    expect(third.child.exitCode).toBe(0);
    // Stopped cleanly: the lock is gone.
    await expect(fs.access(path.join(dir, 'engine.lock'))).rejects.toThrow();
    await fs.rm(dir, { recursive: true });
  }, 90_000);
});
