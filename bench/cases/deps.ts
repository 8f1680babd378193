import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpecInput } from '../../shared/contract/functions';
import { prepareDependencies } from '../../electron/engine/deps/install';
import { median, recordFigure } from '../support/figures';
import { cluster, core, createNamespace, deleteNamespace, harness, invoke, invokeUntilReady, nodeSpec, sleep, type FunctionsHarness } from '../../test/integration/support-functions';

/**
 * `npm run bench -- deps`: dependencies installed on this machine and delivered through the API server.
 *   install, cold cache     Funcdeck's install (npm + archive) with empty caches, beside `npm install` alone
 *   install, warm cache     the same manifest again (Funcdeck's cache), beside `npm install` in its filled folder
 *   pod start               a deleted pod's replacement answering, with dependencies beside the same function
 *                           without, interleaved, same run (goal: at most 300 ms more)
 *   save -> live answer     live.push of a changed handler until a call answers with it (goal: median <= 300 ms),
 *                           beside the deploy path (deploy -> the new revision answers), same run
 */
let ns: string;
let h: FunctionsHarness;
const tmp: string[] = [];
const mkdtemp = (p: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), p));
  tmp.push(d);
  return d;
};
beforeAll(async () => {
  ns = await createNamespace('bench-deps');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

const MANIFEST = JSON.stringify({ name: 'bench', dependencies: { lodash: '4.17.21', ms: '2.1.3', dayjs: '1.11.13' } }, null, 2);
const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

describe('bench: dependencies', () => {
  it('install, cold and warm cache, beside npm install alone', async () => {
    const cold: number[] = [];
    const warm: number[] = [];
    const npmCold: number[] = [];
    const npmWarm: number[] = [];
    for (let i = 0; i < 3; i++) {
      // Cold: empty Funcdeck cache and an empty npm cache (everything downloaded).
      const dataDir = mkdtemp('fd-bench-deps-data-');
      const env = { ...process.env, npm_config_cache: mkdtemp('fd-bench-npm-cache-') };
      const params = { runtime: 'nodejs' as const, manifest: MANIFEST, lockfile: null, image: cluster.images.nodejs, dataDir, env };
      let t0 = performance.now();
      await prepareDependencies(params);
      cold.push(performance.now() - t0);
      t0 = performance.now();
      const hit = await prepareDependencies(params);
      warm.push(performance.now() - t0);
      expect(hit?.cached).toBe(true);

      const dir = mkdtemp('fd-bench-npm-');
      fs.writeFileSync(path.join(dir, 'package.json'), MANIFEST);
      const npmEnv = { ...process.env, npm_config_cache: mkdtemp('fd-bench-npm-cache-') };
      const npm = () => execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, env: npmEnv, stdio: 'ignore' });
      npmCold.push(timed(npm));
      npmWarm.push(timed(npm));
    }
    recordFigure({
      name: 'dependencies: install, cold cache (lodash, ms, dayjs; median of 3)',
      unit: 'ms',
      value: median(cold),
      baseline: { name: '`npm install --omit=dev` alone, empty npm cache', value: median(npmCold) },
      detail: `Funcdeck ${fmt(cold)}; npm ${fmt(npmCold)}`,
    });
    recordFigure({
      name: 'dependencies: install, warm cache (same manifest again; median of 3)',
      unit: 'ms',
      value: median(warm),
      baseline: { name: '`npm install` again in its installed folder', value: median(npmWarm) },
      detail: `Funcdeck ${fmt(warm)}; npm ${fmt(npmWarm)}`,
    });
  }, 600_000);

  it('pod start with dependencies beside the same function without', async () => {
    const hostname = "require('os').hostname()";
    const cases: Record<string, FunctionSpecInput> = {
      'node-plain': { name: 'node-plain', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: `exports.main = () => ${hostname};\n` }] },
      'node-deps': {
        name: 'node-deps',
        runtime: 'nodejs',
        handler: 'handler.main',
        files: [{ path: 'handler.js', content: `const _ = require('lodash'); const ms = require('ms'); const dayjs = require('dayjs');\nexports.main = () => ${hostname} + ' ' + _.VERSION + ms('1s') + dayjs(0).year();\n` }],
        dependencies: MANIFEST,
      },
      'py-plain': { name: 'py-plain', runtime: 'python', handler: 'handler.main', files: [{ path: 'handler.py', content: 'import socket\n\ndef main(event, context):\n    return socket.gethostname()\n' }] },
      'py-deps': {
        name: 'py-deps',
        runtime: 'python',
        handler: 'handler.main',
        files: [{ path: 'handler.py', content: 'import socket\nimport six\nimport markupsafe\n\ndef main(event, context):\n    return socket.gethostname() + " " + str(markupsafe.escape("<")) + six.__version__\n' }],
        dependencies: 'six==1.16.0\nmarkupsafe==2.1.5\n',
      },
    };
    for (const spec of Object.values(cases)) await h.call('functions.deploy', { spec, wait: true });

    const unpackMs: number[] = [];
    /** Deletes the function's pod and times until its replacement answers. */
    async function podStart(fn: string): Promise<number> {
      const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: `funcdeck.dev/function=${fn}` });
      const old = new Set(pods.items.map((p) => p.metadata!.name!));
      const t0 = performance.now();
      for (const name of old) await core.deleteNamespacedPod({ namespace: ns, name, gracePeriodSeconds: 0 });
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const r = await invoke(ns, fn, { timeoutMs: 5000 }).catch(() => null);
        if (r && r.status === 200 && ![...old].some((n) => r.text.startsWith(n))) {
          const ms = performance.now() - t0;
          const pod = r.text.match(/^[a-z0-9-]+/)?.[0] ?? '';
          const log = await core.readNamespacedPodLog({ namespace: ns, name: pod }).catch(() => '');
          const unpack = /unpacked: .* in (\d+) ms/.exec(String(log))?.[1];
          if (unpack) unpackMs.push(Number(unpack));
          return ms;
        }
        await sleep(20);
      }
      throw new Error(`${fn}: no answer from a new pod within 120 s`);
    }

    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let round = 0; round < 7; round++) {
      for (const fn of Object.keys(cases)) {
        times[fn]!.push(await podStart(fn));
        await sleep(1000);
      }
    }
    for (const [runtime, label] of [
      ['node', 'Node.js, lodash + ms + dayjs (about 2,700 files)'],
      ['py', 'Python, six + markupsafe (compiled wheel)'],
    ] as const) {
      const withDeps = median(times[`${runtime}-deps`]!);
      const without = median(times[`${runtime}-plain`]!);
      recordFigure({
        name: `pod start with dependencies, ${label}: deleted pod -> replacement answers (median of 7)`,
        unit: 'ms',
        value: withDeps,
        baseline: { name: 'the same function without dependencies, interleaved', value: without },
        target: { text: '<= baseline + 300 ms', met: withDeps <= without + 300 },
        detail: `with ${fmt(times[`${runtime}-deps`]!)}; without ${fmt(times[`${runtime}-plain`]!)}; unpack in the pods (all): ${fmt(unpackMs)}`,
      });
    }
  }, 900_000);

  it('save -> live answer, beside the deploy path', async () => {
    const spec = (i: number) => nodeSpec('live-bench', `exports.main = async () => 'edit ${i}';\n`);
    await h.call('functions.deploy', { spec: spec(0), wait: true });
    await invokeUntilReady(ns, 'live-bench', 1);
    /** Time from `t0` until a call answers `text`. */
    const until = async (text: string, t0: number) => {
      for (let n = 0; n < 2000; n++) {
        const r = await invoke(ns, 'live-bench').catch(() => null);
        if (r?.text === text) return performance.now() - t0;
        await sleep(5);
      }
      throw new Error(`never answered ${text}`);
    };
    const live: number[] = [];
    const firstCallNew: boolean[] = [];
    for (let i = 1; i <= 15; i++) {
      const t0 = performance.now();
      await h.call('live.push', { spec: spec(i) });
      const first = await invoke(ns, 'live-bench');
      firstCallNew.push(first.text === `edit ${i}`);
      live.push(first.text === `edit ${i}` ? performance.now() - t0 : await until(`edit ${i}`, t0));
      await sleep(300);
    }
    const deploy: number[] = [];
    for (let i = 16; i <= 20; i++) {
      const t0 = performance.now();
      const res = await h.call('functions.deploy', { spec: spec(i) });
      await invokeUntilReady(ns, 'live-bench', res.revision);
      deploy.push(performance.now() - t0);
      await sleep(500);
    }
    recordFigure({
      name: 'save -> live answer (live.push of a changed handler until a call answers with it; median of 15)',
      unit: 'ms',
      value: median(live),
      baseline: { name: 'deploy -> the new revision answers (median of 5)', value: median(deploy) },
      target: { text: '<= 300 ms', met: median(live) <= 300 },
      detail: `live ${fmt(live)} (first call after the push answered with the new code: ${firstCallNew.filter(Boolean).length}/15); deploy ${fmt(deploy)}`,
    });
  }, 600_000);
});
