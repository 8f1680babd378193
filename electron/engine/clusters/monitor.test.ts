import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClustersSnapshot } from '../../../shared/contract';
import type { EngineOptions } from '../options';
import { createClusterAccess } from './access';
import { runClustersMonitor } from './monitor';
import { createProbeCache } from './probe-cache';

const kubeconfig = (contexts: Array<{ name: string; token: string }>) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.map((c) => ({ name: c.name, cluster: { server: 'https://127.0.0.1:1' } })),
    users: contexts.map((c) => ({ name: c.name, user: { token: c.token } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
  });

async function until<T>(f: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
