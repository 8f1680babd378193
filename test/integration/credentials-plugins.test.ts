import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine';
import type { ClustersSnapshot } from '../../shared/contract';
import { InvokeRequest } from '../../shared/contract/invoke';
import { LogsFollowParams, type LogsBatch } from '../../shared/contract/logs';
import { fakePlugin, type FakePlugin } from '../support/fake-exec-plugin';
import { cluster, createNamespace, deleteNamespace, deployWorkload, recordingSink, sleep } from './support-observe';

/**
 * Exec credential plugins against the real cluster: a kubeconfig whose contexts all point at the
 * test cluster's API server, with users that are exec plugins: one hangs, one prints the cluster's
 * real client certificate as an ExecCredential, one is never selected. Each plugin records its runs.
 */
const certPem = Buffer.from(cluster.kc.getCurrentUser()?.certData ?? '', 'base64').toString();
const keyPem = Buffer.from(cluster.kc.getCurrentUser()?.keyData ?? '', 'base64').toString();
const d = certPem && keyPem ? describe : describe.skip;

let tmp: string;
let ns: string;
let hang: FakePlugin;
let ok: FakePlugin;
let never: FakePlugin;
const engines: Engine[] = [];

async function engine(): Promise<Engine> {
  const dataDir = await fs.mkdtemp(path.join(tmp, 'data-'));
  const e = createEngine({ mode: 'web', version: 'test', env: { ...process.env, KUBECONFIG: path.join(tmp, 'config'), HOME: tmp }, homeDir: tmp, dataDir });
  engines.push(e);
  return e;
}

beforeAll(async () => {
  if (!certPem) return;
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-it-cred-'));
  hang = fakePlugin(tmp, 'hang', { name: 'aws' });
  const credential = { clientCertificateData: certPem, clientKeyData: keyPem };
  ok = fakePlugin(tmp, 'ok', { name: 'kubelogin', credential });
  never = fakePlugin(tmp, 'ok', { name: 'gcloud', credential });
  const base = JSON.parse(cluster.kc.exportConfig()) as { clusters: Array<{ name: string }>; users: unknown[]; contexts: unknown[] };
  const clusterName = cluster.kc.getCurrentCluster()!.name;
  const ctx = (name: string, user: string) => ({ name, context: { cluster: clusterName, user } });
  await fs.writeFile(
    path.join(tmp, 'config'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: base.clusters,
      users: [...base.users, { name: 'hang', user: { exec: hang.exec() } }, { name: 'ok', user: { exec: ok.exec() } }, { name: 'never', user: { exec: never.exec() } }],
      contexts: [...base.contexts, ctx('prod', 'hang'), ctx('dev-exec', 'ok'), ctx('staging', 'never')],
    }),
  );
  ns = await createNamespace('cred');
  await deployWorkload(ns, 'cw');
});

afterAll(async () => {
  for (const e of engines) await e.dispose();
  if (ns) await deleteNamespace(ns);
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

async function noPluginLeft(p: FakePlugin) {
  for (let i = 0; i < 60 && p.alive().length; i++) await sleep(50);
  return p.alive();
}

d('exec credential plugins (real cluster)', () => {
  it('opening the app runs no plugin for contexts nobody selected, yet every context has a verdict within 5 s', async () => {
    const e = await engine();
    await e.calls['clusters.select']({ context: 'dev-exec', namespace: ns });
    const sink = recordingSink<ClustersSnapshot>();
    const t0 = performance.now();
    const done = e.streams['clusters.watch']({}, sink);
    const names = ['prod', 'dev-exec', 'staging', cluster.context];
    const last = () => sink.events.at(-1)?.event;
    await sink.until((ev) => names.every((n) => ev.at(-1)?.probes[n]), 8000, 'a verdict for every context').catch(() => undefined);
    const ms = performance.now() - t0;
    const probes = last()?.probes ?? {};
    console.log(`[cred] verdicts after ${ms.toFixed(0)} ms: ${names.map((n) => `${n}=${probes[n]?.verdict ?? 'none'}/${probes[n]?.checkedWith ?? '-'}`).join(', ')}; runs: prod ${hang.runs()}, staging ${never.runs()}, dev-exec ${ok.runs()}`);
    sink.unsubscribe();
    await done;
    expect(names.filter((n) => !probes[n])).toEqual([]);
    expect(ms).toBeLessThan(5000);
    expect(hang.runs()).toBe(0);
    expect(never.runs()).toBe(0);
    for (const n of ['prod', 'staging', cluster.context]) expect(probes[n]).toMatchObject({ verdict: 'reachable', checkedWith: 'anonymous' });
    // The selected context is checked with its credentials: its plugin ran, and they work.
    expect(probes['dev-exec']).toMatchObject({ reachable: true, verdict: 'reachable', checkedWith: 'credentials' });
    expect(ok.runs()).toBeGreaterThanOrEqual(1);
  });

  it('a hanging plugin: invoke with a 2 s deadline answers in ~2 s naming the plugin; probes leave no process; the healthy context keeps its log follow', async () => {
    const good = await engine();
    await good.calls['clusters.select']({ context: 'dev-exec', namespace: ns });
    const bad = await engine();
    await bad.calls['clusters.select']({ context: 'prod', namespace: ns });

    const sink = recordingSink<LogsBatch>();
    const follow = good.streams['logs.follow'](LogsFollowParams.parse({ function: 'cw', tailLines: 0 }), sink);
    await sink.until((ev) => ev.some((b) => b.status?.pods.some((p) => p.state === 'following')), 30_000, 'following');
    const print = (tag: string) =>
      good.calls['invoke.send'](InvokeRequest.parse({ function: 'cw', path: '/print', query: [{ name: 'n', value: '3' }, { name: 'tag', value: tag }] }));
    await print('before');
    await sink.until((ev) => ev.some((b) => b.lines.some((l) => l.text.endsWith('before 3'))), 15_000, 'lines before');

    // The hanging context's invoke, while the healthy one prints and follows.
    const t0 = performance.now();
    const hung = Promise.race([
      bad.calls['invoke.send'](InvokeRequest.parse({ function: 'cw', timeoutMs: 2000 })).then(
        () => 'answered',
        (err: unknown) => err,
      ),
      sleep(15_000).then(() => 'no answer after 15 s'),
    ]).then((r) => ({ r, ms: performance.now() - t0 }));
    await print('during');
    await sink.until((ev) => ev.some((b) => b.lines.some((l) => l.text.endsWith('during 3'))), 15_000, 'lines during');
    const { r, ms } = await hung;
    console.log(`[cred] invoke on the hanging context answered after ${ms.toFixed(0)} ms: ${(r as Error).message ?? r}`);
    expect(r).toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/^The credential plugin `aws-fdplug\w+\.sh` for context `prod` did not answer within 2 s/),
      details: expect.objectContaining({ source: 'credentials', context: 'prod' }),
    });
    expect((r as Error).message).not.toMatch(/Cannot reach|unreachable|Is the cluster running/i);
    expect(ms).toBeLessThan(3500);

    // Explicit probes of it (the user asks): each ends with the plugin named, and kills it.
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      const p = await good.calls['clusters.probe']({ context: 'prod' });
      expect(performance.now() - t1).toBeLessThan(4500);
      expect(p).toMatchObject({ reachable: false, verdict: 'reachable', error: { code: 'TIMEOUT', message: expect.stringMatching(/credential plugin `aws-fdplug\w+\.sh` for context `prod`/) } });
    }
    expect(await noPluginLeft(hang)).toEqual([]);

    await print('after');
    await sink.until((ev) => ev.some((b) => b.lines.some((l) => l.text.endsWith('after 3'))), 15_000, 'lines after');
    sink.unsubscribe();
    await follow;
  });
});
