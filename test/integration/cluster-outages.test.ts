import fs from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine';
import type { ClustersSnapshot } from '../../shared/contract';
import { InvokeRequest } from '../../shared/contract/invoke';
import { LogsFollowParams, type LogsBatch } from '../../shared/contract/logs';
import {
  cluster,
  createNamespace,
  deleteNamespace,
  deployWorkload,
  freezeDevApiServerFor,
  killOwnApiConnections,
  recordingSink,
  sleep,
  stopDevApiServerFor,
  untilClusterDnsResynced,
  whileRestarting,
} from './support-observe';

/**
 * Outages of the dev cluster's API server, as the engine reports them: stopped (reachability follows
 * within 2 s both ways; log reconnects are quick again once lines flowed), and frozen with SIGSTOP
 * (invokes name the API server, not the function; a followed log stream says "stalled" within 10 s).
 * Each outage is short, always undone in a finally, and the test waits for a whole cluster again.
 */
const d = cluster.devCluster ? describe : describe.skip;

let ns: string;
let tmp: string;
let engine: Engine;

beforeAll(async () => {
  if (!cluster.devCluster) return;
  ns = await createNamespace('outage');
  await deployWorkload(ns, 'ow');
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-it-outage-'));
  engine = createEngine({ mode: 'web', version: 'test', env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath, HOME: tmp }, homeDir: tmp, dataDir: tmp });
  await engine.calls['clusters.select']({ context: cluster.context, namespace: ns });
});

afterAll(async () => {
  await engine?.dispose();
  if (ns) await deleteNamespace(ns);
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const ticker = (tag: string, rate: number, count: number) =>
  engine.calls['invoke.send'](
    InvokeRequest.parse({ function: 'ow', path: '/ticker', query: [{ name: 'rate', value: String(rate) }, { name: 'count', value: String(count) }, { name: 'tag', value: tag }] }),
  );

/** When the API server answers again (any HTTP status to /version), asked by the test itself (no credentials) every 100 ms. */
async function answersAt(): Promise<number> {
  const server = cluster.kc.getCurrentCluster()!;
  const ca = Buffer.from(server.caData ?? '', 'base64');
  const ready = () =>
    new Promise<boolean>((resolve) => {
      const req = https.get(`${server.server}/version`, { ca, timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
  for (;;) {
    if (await ready()) return Date.now();
    await sleep(100);
  }
}

d('outages of the cluster itself', () => {
  it('API server stopped: unreachable within 2 s of the first failed call, reachable within 2 s of its return; log reconnects are quick again once lines flowed', async () => {
    const clusters = recordingSink<ClustersSnapshot>();
    const watching = engine.streams['clusters.watch']({}, clusters);
    const logs = recordingSink<LogsBatch>();
    const following = engine.streams['logs.follow'](LogsFollowParams.parse({ function: 'ow', tailLines: 0 }), logs);
    const stamped: Array<{ at: number; reachable: boolean | undefined }> = [];
    const probe = () => clusters.events.at(-1)?.event.probes[cluster.context];
    const stamp = setInterval(() => stamped.push({ at: Date.now(), reachable: probe()?.reachable }), 25);
    let outage: ReturnType<typeof stopDevApiServerFor> | null = null;
    try {
      await clusters.until(() => probe()?.reachable === true, 20_000, 'reachable first');
      await logs.until((ev) => ev.some((b) => b.status?.pods.some((p) => p.state === 'following')), 30_000, 'following');
      await ticker('S', 20, 2000); // 100 s of lines, 20 a second, through the outage

      outage = stopDevApiServerFor(5000);
      const downAt = await outage.down;
      const failed = await engine.calls['namespaces.list']({}).then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
      const failedAt = Date.now();
      expect(failed).toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
      expect(failed!.message).toMatch(/ECONNREFUSED.*not running/);
      await clusters.until(() => probe()?.reachable === false, 10_000, 'unreachable');
      const unreachableAt = stamped.find((s) => s.at >= downAt - 1000 && s.reachable === false)?.at ?? Date.now();
      const backAt = await answersAt();
      await clusters.until(() => probe()?.reachable === true, 15_000, 'reachable again');
      const reachableAt = stamped.find((s) => s.at > unreachableAt && s.reachable === true)?.at ?? Date.now();
      const health = clusters.events.at(-1)!.event.health;
      console.log(
        `[outage] stopped at +0; unreachable shown at +${unreachableAt - downAt} ms (my call failed at +${failedAt - downAt} ms); answering again at +${backAt - downAt} ms, reachable shown ${reachableAt - backAt} ms later; health now ${health?.state}`,
      );
      expect(unreachableAt - failedAt).toBeLessThan(2000);
      expect(reachableAt - backAt).toBeLessThan(2000);
      expect(health).toMatchObject({ context: cluster.context, state: 'up' });

      // Lines flow again after the outage; then our connections are cut: the follower is back at
      // once, not after the long delay its failed reconnects during the outage had grown to.
      const afterBack = logs.events.length;
      await logs.until((ev) => ev.slice(afterBack).some((b) => b.lines.length > 0), 30_000, 'lines after the outage');
      await sleep(1000);
      const before = logs.events.length;
      const killedAt = performance.now();
      expect(killOwnApiConnections()).toBeGreaterThan(0);
      const isReconnecting = (b: LogsBatch) => !!b.status?.pods.some((p) => p.state === 'reconnecting');
      const isFollowing = (b: LogsBatch) => !!b.status?.pods.length && b.status.pods.every((p) => p.state === 'following');
      const followingAgain = () => {
        const after = logs.events.slice(before);
        const cut = after.findIndex((e) => isReconnecting(e.event));
        return cut >= 0 ? after.slice(cut + 1).find((e) => isFollowing(e.event)) : undefined;
      };
      await logs.until(() => !!followingAgain(), 15_000, 'following again after the cut');
      const back = followingAgain()!;
      const reconnectMs = back.at - killedAt;
      console.log(`[outage] after many failed reconnects, a cut connection was followed again in ${reconnectMs.toFixed(0)} ms`);
      expect(reconnectMs).toBeLessThan(2500); // the shortest delay (0.25 s), not the 5 s cap reached during the outage
    } finally {
      clearInterval(stamp);
      await outage?.back.catch(() => undefined);
      logs.unsubscribe();
      clusters.unsubscribe();
      await Promise.allSettled([watching, following]);
    }
  });

  it('API server frozen: an invoke names the API server, not the function; a followed log stream reports stalled within 10 s', async () => {
    const logs = recordingSink<LogsBatch>();
    const following = engine.streams['logs.follow'](LogsFollowParams.parse({ function: 'ow', tailLines: 0 }), logs);
    let freeze: ReturnType<typeof freezeDevApiServerFor> | null = null;
    try {
      await logs.until((ev) => ev.some((b) => b.status?.pods.some((p) => p.state === 'following')), 30_000, 'following');
      await whileRestarting(() => ticker('F', 20, 1200));
      await logs.until((ev) => ev.some((b) => b.lines.some((l) => l.text.startsWith('F '))), 15_000, 'lines before the freeze');

      freeze = freezeDevApiServerFor(15_000);
      const frozenAt = await freeze.frozen;
      const t0 = Date.now();
      const err = await engine.calls['invoke.send'](InvokeRequest.parse({ function: 'ow', timeoutMs: 4000 })).then(
        () => null,
        (e: { code: string; message: string; details?: { source?: string } }) => e,
      );
      console.log(`[outage] invoke during the freeze answered after ${Date.now() - t0} ms: ${err?.message}`);
      expect(err).toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: expect.stringMatching(/The API server https:\/\/\S+ did not answer within 4 s/), details: { source: 'api-server' } });
      expect(err!.message).not.toMatch(/function may hang|check its logs/);

      await logs.until((ev) => ev.some((b) => b.status?.stalled), 15_000, 'stalled');
      const stalled = logs.events.find((e) => e.event.status?.stalled)!;
      const stalledMs = Date.now() - (performance.now() - stalled.at) - frozenAt;
      console.log(`[outage] log stream reported stalled ${stalledMs} ms after the freeze: ${stalled.event.status!.stalled!.reason}`);
      expect(stalledMs).toBeLessThan(10_000);
      expect(stalled.event.status!.pods.some((p) => p.state === 'following')).toBe(true); // it looked connected all along

      await freeze.done;
      await logs.until((ev) => ev.at(-1)?.status?.stalled === null || ev.slice(-3).some((b) => b.lines.length > 0), 30_000, 'lines or no stall after the thaw');
    } finally {
      freeze?.thaw();
      await freeze?.done.catch(() => undefined);
      logs.unsubscribe();
      await following;
      await whileRestarting(() => engine.calls['namespaces.list']({}));
      await untilClusterDnsResynced();
    }
  });
});
