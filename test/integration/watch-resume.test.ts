import { execFileSync } from 'node:child_process';
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWatch, watchCollection, type WatchState } from '../../electron/engine/kube/watch';
import { kubeWatchTransport, type KubeObject } from '../../electron/engine/kube/watch-transport';
import { testCluster } from '../support/cluster-target';
import { restartDevApiServer } from './support-observe';

/**
 * The shared watcher against the real API server: batching, relist on a real 410 Gone, resume after the
 * connection is cut (ss -K on this process's own sockets only, so other users of the cluster are not
 * disturbed), and a silently dead connection (packets dropped with iptables) noticed by the inactivity check.
 */
const tc = testCluster();
const ns = `fd-it-watch-${Math.random().toString(36).slice(2, 8)}`;
const core = tc.kc.makeApiClient(CoreV1Api);
const apiPort = Number(new URL(tc.kc.getCurrentCluster()!.server).port || 443);
const apiHost = new URL(tc.kc.getCurrentCluster()!.server).hostname;
const isRoot = process.getuid?.() === 0;
const path = `/api/v1/namespaces/${ns}/configmaps`;

const cm = (name: string) => core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name }, data: { v: name } } });

/** Local ports of this process's established connections to the API server. */
function ownApiSockets(): number[] {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', 'dst', apiHost, 'dport', `= :${apiPort}`], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(`pid=${process.pid},`))
    .map((l) => Number(/:(\d+)\s+\S+:\d+\s/.exec(l)?.[1]))
    .filter((p) => p > 0);
}
function killSockets(ports: number[]) {
  for (const p of ports) execFileSync('ss', ['-K', 'dst', apiHost, 'dport', `= :${apiPort}`, 'sport', `= :${p}`]);
}
const canKill = (() => {
  if (!isRoot || !/^127\./.test(apiHost)) return false;
  try {
    execFileSync('ss', ['-K', 'dst', '127.0.0.1', 'dport', '= :1']);
    return true;
  } catch {
    return false;
  }
})();

/** Runs a watcher on the test namespace's ConfigMaps, recording batches and states. */
function startWatch(opts: { inactivityMs?: number; transport?: ReturnType<typeof kubeWatchTransport<KubeObject>> } = {}) {
  const ac = new AbortController();
  const batches: Array<{ at: number; names: string[] }> = [];
  const states: WatchState[] = [];
  const run = opts.transport
    ? runWatch(opts.transport, { signal: ac.signal, onBatch: (items) => batches.push({ at: performance.now(), names: items.map((i) => i.metadata!.name!).sort() }), onState: (s) => states.push(s), inactivityMs: opts.inactivityMs })
    : watchCollection<V1ConfigMap & KubeObject>(tc.kc, { path, resource: 'configmaps', namespace: ns }, {
        signal: ac.signal,
        inactivityMs: opts.inactivityMs,
        onBatch: (items) => batches.push({ at: performance.now(), names: items.map((i) => i.metadata!.name!).sort() }),
        onState: (s) => states.push(s),
      });
  const until = async (pred: (names: string[]) => boolean, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const b = batches.at(-1);
      if (b && pred(b.names)) return b;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out; last batch ${JSON.stringify(batches.at(-1))}, states ${JSON.stringify(states.slice(-3))}`);
  };
  return { ac, batches, states, run, until, stop: async () => (ac.abort(), run) };
}

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: ns } } });
  // kube-root-ca.crt appears in every namespace; wait so it does not race with the counts below.
  for (let i = 0; i < 50; i++) {
    if ((await core.listNamespacedConfigMap({ namespace: ns })).items.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await core.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe('kube/watch against the real API server', () => {
  it('lists, follows adds and deletes, and batches a burst into few callbacks', async () => {
    const w = startWatch();
    await w.until((n) => n.includes('kube-root-ca.crt'));
    const before = w.batches.length;
    await Promise.all(Array.from({ length: 20 }, (_, i) => cm(`burst-${i}`)));
    await w.until((n) => n.filter((x) => x.startsWith('burst-')).length === 20);
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'burst-0' });
    await w.until((n) => !n.includes('burst-0') && n.includes('burst-1'));
    const callbacks = w.batches.length - before;
    console.log(`21 changes -> ${callbacks} callbacks`);
    expect(callbacks).toBeLessThan(10);
    expect(w.states.at(-1)).toMatchObject({ phase: 'watching', lists: 1, watches: 1 });
    await w.stop();
  });

  it('relists when the server answers 410 Gone for a compacted resourceVersion', async () => {
    // Events bypass the API server's watch cache (it is off for events by default), so a watch from an
    // old resourceVersion reaches etcd, whose history is compacted: the real server answers 410 Expired.
    // On a young dev cluster, compact etcd up to this test's namespace first (the API server does the
    // same every 5 minutes), so that is certain.
    if (tc.devCluster) {
      const nsRv = Number((await core.readNamespace({ name: ns })).metadata!.resourceVersion);
      const res = await fetch('http://127.0.0.1:2379/v3/kv/compaction', { method: 'POST', body: JSON.stringify({ revision: String(nsRv - 1) }) });
      const text = await res.text();
      expect(res.ok || /compacted/.test(text)).toBe(true);
    }
    const event = (name: string) =>
      core.createNamespacedEvent({
        namespace: ns,
        body: { metadata: { name }, involvedObject: { kind: 'ConfigMap', name: 'x', namespace: ns }, reason: 'Test', message: name, type: 'Normal' },
      });
    await event('before-relist');
    const real = kubeWatchTransport<KubeObject>(tc.kc, { path: `/api/v1/namespaces/${ns}/events`, resource: 'events', namespace: ns });
    let lists = 0;
    // The first list claims resourceVersion 2, long compacted, so the real server answers the watch with 410.
    const transport = { ...real, list: async (s: AbortSignal) => ({ ...(await real.list(s)), ...(lists++ === 0 ? { resourceVersion: '2' } : {}) }) };
    const w = startWatch({ transport });
    await w.until(() => w.states.some((s) => s.lists === 2 && s.phase === 'watching'));
    expect(w.batches.at(-1)!.names).toEqual(['before-relist']);
    await event('after-relist');
    await w.until((n) => n.includes('after-relist'));
    expect(w.states.filter((s) => s.phase === 'listing')).toHaveLength(2);
    expect(w.states.some((s) => s.phase === 'retrying')).toBe(false); // 410 is not an error to back off from
    await w.stop();
  });

  it('resumes from its resourceVersion after the connection is cut, losing no change made meanwhile', async (ctx) => {
    if (!canKill) return ctx.skip();
    const w = startWatch();
    await w.until((n) => n.includes('kube-root-ca.crt'));
    await cm('pre-cut');
    await w.until((n) => n.includes('pre-cut'));
    const sockets = ownApiSockets();
    expect(sockets.length).toBeGreaterThan(0);
    const t0 = performance.now();
    killSockets(sockets);
    // Changes made while the watch is down must all show up once it is back.
    await Promise.all([cm('during-cut-1'), cm('during-cut-2'), core.deleteNamespacedConfigMap({ namespace: ns, name: 'pre-cut' })]);
    const b = await w.until((n) => n.includes('during-cut-1') && n.includes('during-cut-2') && !n.includes('pre-cut'));
    const resumedMs = b.at - t0;
    const retry = w.states.find((s) => s.phase === 'retrying');
    expect(retry?.error?.code).toBe('CLUSTER_UNREACHABLE');
    console.log(`connection cut -> changes seen after ${resumedMs.toFixed(0)} ms (retry reason: ${retry?.error?.code}, backoff ${retry?.retryInMs} ms)`);
    expect(retry).toBeDefined();
    const last = w.states.at(-1)!;
    expect(last.lists).toBe(1); // resumed from the resourceVersion, no relist
    expect(last.watches).toBeGreaterThanOrEqual(2);
    expect(resumedMs).toBeLessThan(10_000);
    await w.stop();
  });

  it('notices a silently dead connection (packets dropped, no FIN/RST) with the inactivity check and reconnects', async (ctx) => {
    if (!canKill) return ctx.skip();
    const w = startWatch({ inactivityMs: 3000 });
    await w.until((n) => n.includes('kube-root-ca.crt'));
    const ports = ownApiSockets();
    const rules = ports.flatMap((p) => [
      ['OUTPUT', '-o', 'lo', '-p', 'tcp', '--sport', String(p), '--dport', String(apiPort), '-j', 'DROP', '-m', 'comment', '--comment', 'funcdeck-watch-test'],
      ['INPUT', '-i', 'lo', '-p', 'tcp', '--sport', String(apiPort), '--dport', String(p), '-j', 'DROP', '-m', 'comment', '--comment', 'funcdeck-watch-test'],
    ]);
    const t0 = performance.now();
    try {
      for (const r of rules) execFileSync('iptables', ['-I', ...r]);
      await cm('while-silent');
      const b = await w.until((n) => n.includes('while-silent'), 25_000);
      const ms = b.at - t0;
      console.log(`silent connection -> change seen after ${ms.toFixed(0)} ms (inactivity limit 3000 ms)`);
      expect(w.states.some((s) => s.error?.code === 'TIMEOUT')).toBe(true);
      expect(ms).toBeGreaterThan(2500);
      // Seen through the inactivity check (3 s, then a reconnect), not a TCP timeout minutes later; loose for a loaded CI machine.
      expect(ms).toBeLessThan(20_000);
    } finally {
      for (const r of rules) execFileSync('iptables', ['-D', ...r]);
    }
    await w.stop();
  });

  it('lives through a real API server restart: back to watching, every change made around it seen', async (ctx) => {
    if (!tc.devCluster || !isRoot) return ctx.skip();
    const w = startWatch();
    await w.until((n) => n.includes('kube-root-ca.crt'));
    await cm('pre-restart');
    await w.until((n) => n.includes('pre-restart'));
    const restarted = restartDevApiServer();
    await cm('racing-restart').catch(() => undefined); // may land before the TERM or be refused: either is fine
    await restarted;
    // Right after the server is back: a change and a delete the watch has to catch on reconnecting.
    await Promise.all([cm('after-restart'), core.deleteNamespacedConfigMap({ namespace: ns, name: 'pre-restart' })]);
    const listed = (await core.listNamespacedConfigMap({ namespace: ns })).items.map((c) => c.metadata!.name!).sort();
    const b = await w.until((n) => JSON.stringify(n) === JSON.stringify(listed), 60_000);
    expect(b.names).toContain('after-restart');
    expect(b.names).not.toContain('pre-restart');
    expect(w.states.some((s) => s.phase === 'retrying')).toBe(true);
    expect(w.states.at(-1)!.phase).toBe('watching');
    console.log(`API server restart: ${w.states.filter((s) => s.phase === 'retrying').length} retries, lists ${w.states.at(-1)!.lists}, watches ${w.states.at(-1)!.watches}`);
    await w.stop();
  });

  it('stops at once when its signal aborts, and closes its connection (nothing leaks)', async () => {
    const socketsBefore = canKill ? ownApiSockets() : [];
    const w = startWatch();
    await w.until((n) => n.includes('kube-root-ca.crt'));
    const during = canKill ? ownApiSockets().filter((p) => !socketsBefore.includes(p)) : [];
    const t0 = performance.now();
    await w.stop();
    expect(performance.now() - t0).toBeLessThan(1000);
    if (canKill) {
      expect(during.length).toBeGreaterThan(0); // the watch's own connection
      await new Promise((r) => setTimeout(r, 200));
      expect(ownApiSockets().filter((p) => during.includes(p))).toEqual([]);
    }
    const n = w.batches.length;
    await cm('after-stop');
    await new Promise((r) => setTimeout(r, 500));
    expect(w.batches.length).toBe(n);
  });
});
