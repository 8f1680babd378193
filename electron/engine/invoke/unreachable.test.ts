import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/contract/settings';
import { InvokeRequest } from '../../../shared/contract/invoke';
import { LogsFollowParams, type LogsBatch } from '../../../shared/contract/logs';
import { MetricsWatchParams, type MetricsEvent } from '../../../shared/contract/metrics';
import type { EngineContext } from '../context';
import type { ClusterTarget } from '../kube/access';
import { defaultEngineOptions } from '../options';
import { logsHandlers } from '../logs/handlers';
import { metricsHandlers } from '../metrics/handlers';
import { invokeHandlers } from './handlers';

/** An engine context whose cluster is a closed loopback port: nothing answers. */
async function unreachable() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-unreach-'));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'gone', cluster: 'c', user: 'u' }],
    currentContext: 'gone',
  });
  const controller = new AbortController();
  const target: ClusterTarget = { context: 'gone', namespace: 'dev', flavor: 'other', kc, signal: controller.signal };
  const ctx: EngineContext = {
    options: { ...defaultEngineOptions('web', 'test', {}), dataDir },
    clusters: { target: () => target, onChange: () => () => undefined },
    settings: { get: () => DEFAULT_SETTINGS, runtimeImages: async () => DEFAULT_SETTINGS.defaultImages },
    onDispose: () => undefined,
  };
  return {
    ctx,
    async dispose() {
      controller.abort();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe('an unreachable cluster', () => {
  it('invoke fails with CLUSTER_UNREACHABLE and says what to do; the history keeps the failure', async () => {
    const u = await unreachable();
    const calls = invokeHandlers(u.ctx).calls;
    const err = await calls['invoke.send'](InvokeRequest.parse({ function: 'hello' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: expect.stringMatching(/Cannot reach .*127\.0\.0\.1:1.*cluster:up/) });
    expect((await calls['invoke.history']({ function: 'hello', limit: 5 }))[0]!.summary.error?.code).toBe('CLUSTER_UNREACHABLE');
    await u.dispose();
  });

  it('logs.follow reports that it is reconnecting instead of failing, and stops on unsubscribe', async () => {
    const u = await unreachable();
    const logs = logsHandlers(u.ctx);
    const events: LogsBatch[] = [];
    const ac = new AbortController();
    const done = logs.streams['logs.follow'](LogsFollowParams.parse({ function: 'hello' }), { signal: ac.signal, emit: (e) => void events.push(e) });
    for (let i = 0; i < 100 && !events.some((e) => e.status?.reconnecting); i++) await new Promise((r) => setTimeout(r, 100));
    expect(events.some((e) => e.status?.reconnecting)).toBe(true);
    ac.abort();
    await done;
    await u.dispose();
  });

  it('metrics.watch reports the problem in words and keeps trying', async () => {
    const u = await unreachable();
    const metrics = metricsHandlers(u.ctx);
    const events: MetricsEvent[] = [];
    const ac = new AbortController();
    const done = metrics.streams['metrics.watch'](MetricsWatchParams.parse({ function: 'hello' }), { signal: ac.signal, emit: (e) => void events.push(e) });
    for (let i = 0; i < 50 && !events.some((e) => e.problems.length); i++) await new Promise((r) => setTimeout(r, 100));
    expect(events.find((e) => e.problems.length)!.problems[0]).toMatch(/Cannot reach/);
    ac.abort();
    await done;
    await u.dispose();
  });
});
