import { getEventListeners } from 'node:events';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/contract/settings';
import { MetricsWatchParams } from '../../../shared/contract/metrics';
import type { EngineContext } from '../context';
import type { ClusterTarget } from '../kube/access';
import { defaultEngineOptions } from '../options';
import { metricsHandlers } from './handlers';

describe('metrics.watch', () => {
  it('leaves nothing on the target signal when it cannot start (a context without a server), however often it is tried', async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: '', skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'broken', cluster: 'c', user: 'u' }],
      currentContext: 'broken',
    });
    const controller = new AbortController(); // the target: lives until the user switches
    const target: ClusterTarget = { context: 'broken', namespace: 'dev', flavor: 'other', kc, signal: controller.signal };
    const ctx: EngineContext = {
      options: defaultEngineOptions('web', 'test', {}),
      clusters: { target: () => target, onChange: () => () => undefined },
      settings: { get: () => DEFAULT_SETTINGS, runtimeImages: async () => DEFAULT_SETTINGS.defaultImages },
      onDispose: () => undefined,
    };
    const metrics = metricsHandlers(ctx);
    for (let i = 0; i < 3; i++) {
      const sub = new AbortController();
      const err = await metrics.streams['metrics.watch'](MetricsWatchParams.parse({ function: 'hello' }), { signal: sub.signal, emit: () => undefined }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'KUBECONFIG_INVALID' });
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
