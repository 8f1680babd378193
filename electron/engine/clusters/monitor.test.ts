import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ClustersSnapshot } from '../../../shared/contract';
import type { EngineOptions } from '../options';
import { createClusterAccess } from './access';
import { runClustersMonitor } from './monitor';
import { createProbeCache } from './probe-cache';
import { fakePlugin } from '../../../test/support/fake-exec-plugin';

const kubeconfig = (contexts: Array<{ name: string; token: string }>) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.map((c) => ({ name: c.name, cluster: { server: 'https://127.0.0.1:1' } })),
    users: contexts.map((c) => ({ name: c.name, user: { token: c.token } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
  });

/** vitest's waitUntil, with room for a loaded machine. */
const until = <T>(f: () => T | undefined | false, timeout = 5000) => vi.waitUntil(f, { timeout, interval: 20 });

describe('clusters monitor', () => {
  it('follows file changes: new contexts appear, changed credentials reload the target, a removed context clears it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-monitor-'));
    const file = path.join(dir, 'config');
    const write = async (text: string) => {
      await fs.writeFile(`${file}.tmp`, text);
      await fs.rename(`${file}.tmp`, file);
    };
    await write(kubeconfig([{ name: 'a', token: 't1' }]));
    const options: EngineOptions = { mode: 'web', version: 't', env: { KUBECONFIG: file }, homeDir: dir, dataDir: dir };
    const access = createClusterAccess(options);
    const first = access.select('a', 'default');
    const snapshots: ClustersSnapshot[] = [];
    const ac = new AbortController();
    const probes = createProbeCache((c) => access.kubeConfigFor(c), { timeoutMs: 500 });
    const run = runClustersMonitor(options, access, probes, (s) => snapshots.push(s), ac.signal, { batchMs: 10, debounceMs: 20 });

    const probed = await until(() => snapshots.at(-1)?.probes.a);
    expect(probed).toMatchObject({ reachable: false, error: { code: 'CLUSTER_UNREACHABLE' } });
    expect(snapshots[0]!.selection).toMatchObject({ context: 'a', namespace: 'default' });

    await write(kubeconfig([{ name: 'a', token: 't2' }, { name: 'b', token: 'x' }]));
    await until(() => snapshots.at(-1)?.kubeconfig.contexts.some((c) => c.name === 'b'));
    await until(() => first.signal.aborted);
    expect(access.target().kc.getCurrentUser()?.token).toBe('t2');
    expect(access.target().signal.aborted).toBe(false);

    await write(kubeconfig([{ name: 'b', token: 'x' }]));
    await until(() => snapshots.at(-1)?.selection === null);
    expect(() => access.target()).toThrow(/No cluster context/);
    expect(snapshots.at(-1)!.probes.a).toBeUndefined();

    ac.abort();
    await run;
    await fs.rm(dir, { recursive: true });
  });
});

describe('clusters monitor: reachability without credentials', () => {
  it('every context gets a verdict within 5 s, and no credential plugin runs for a context nobody selected', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-monitor-anon-'));
    // A locked-down API server: anonymous requests get 401, which still proves it answers.
    const server = http.createServer((req, res) => {
      if (req.headers.authorization === 'Bearer good') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ gitVersion: 'v1.36.0' }));
      }
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: 401, message: 'Unauthorized' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const up = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const hang = fakePlugin(dir, 'hang', { name: 'cloud-login' });
    const ok = fakePlugin(dir, 'ok', { credential: { token: 'good' } });
    const cluster = (name: string, server: string) => ({ name, cluster: { server, 'insecure-skip-tls-verify': true } });
    const file = path.join(dir, 'config');
    await fs.writeFile(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [cluster('up', up), cluster('dead', 'http://127.0.0.1:1')],
        users: [
          { name: 'hang', user: { exec: hang.exec() } },
          { name: 'ok', user: { exec: ok.exec() } },
          { name: 'token', user: { token: 'good' } },
        ],
        contexts: [
          { name: 'selected-hanging', context: { cluster: 'up', user: 'hang' } },
          { name: 'other-plugin', context: { cluster: 'up', user: 'ok' } },
          { name: 'other-token', context: { cluster: 'up', user: 'token' } },
          { name: 'other-dead', context: { cluster: 'dead', user: 'ok' } },
          { name: 'other-broken', context: { cluster: 'nowhere', user: 'token' } },
        ],
      }),
    );
    const options: EngineOptions = { mode: 'web', version: 't', env: { KUBECONFIG: file }, homeDir: dir, dataDir: dir };
    const access = createClusterAccess(options);
    access.select('selected-hanging', 'default');
    const snapshots: ClustersSnapshot[] = [];
    const ac = new AbortController();
    const probes = createProbeCache((c) => access.kubeConfigFor(c));
    const t0 = performance.now();
    const run = runClustersMonitor(options, access, probes, (s) => snapshots.push(s), ac.signal, { batchMs: 10 });
    const names = ['selected-hanging', 'other-plugin', 'other-token', 'other-dead', 'other-broken'];
    const all = await until(() => {
      const p = snapshots.at(-1)?.probes;
      return p && names.every((n) => p[n]) && p;
    }, 8000).catch(() => snapshots.at(-1)?.probes ?? {});
    const ms = performance.now() - t0;
    try {
      expect(Object.keys(all).sort()).toEqual([...names].sort());
      expect(ms).toBeLessThan(5000);
      expect(ok.runs()).toBe(0); // not selected: checked without credentials
      expect(all['other-plugin']).toMatchObject({ verdict: 'reachable', checkedWith: 'anonymous' });
      expect(all['other-token']).toMatchObject({ verdict: 'reachable', checkedWith: 'anonymous' });
      expect(all['other-dead']).toMatchObject({ reachable: false, verdict: 'unreachable', error: { code: 'CLUSTER_UNREACHABLE' } });
      expect(all['other-broken']).toMatchObject({ reachable: false, verdict: 'unknown', error: { code: 'KUBECONFIG_INVALID' } });
      // The selected context's plugin ran (and was stopped); its server's own verdict is still known.
      expect(all['selected-hanging']).toMatchObject({
        reachable: false,
        verdict: 'reachable',
        checkedWith: 'anonymous',
        error: { code: 'TIMEOUT', message: expect.stringMatching(/credential plugin `cloud-login-fdplug\w+\.sh` for context `selected-hanging` did not answer/) },
      });
      expect(hang.runs()).toBe(1);
    } finally {
      ac.abort();
      await run;
      server.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 15_000);
});
