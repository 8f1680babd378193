import type { MetricsSample } from '../../../shared/contract/metrics';
import type { EngineContext } from '../context';
import type { CallHandlers, StreamHandlers } from '../handlers';
import type { ClusterTarget } from '../kube/access';
import { apiConnection } from '../kube/api-connection';
import { MetricsSampler } from './sampler';

/** Per-function request metrics from the runtime's Prometheus endpoint, and pod CPU/memory. */
export function metricsHandlers(ctx: EngineContext): {
  calls: Pick<CallHandlers, 'metrics.history'>;
  streams: Pick<StreamHandlers, 'metrics.watch'>;
} {
  // One sampler per function of the current target; all dropped when the target changes.
  const samplers = new Map<string, { target: ClusterTarget; sampler: Promise<MetricsSampler> }>();

  function samplerFor(target: ClusterTarget, fn: string): Promise<MetricsSampler> {
    const key = `${target.context}\0${target.namespace}\0${fn}`;
    const existing = samplers.get(key);
    if (existing && existing.target === target) return existing.sampler;
    const sampler = apiConnection(target).then((conn) => new MetricsSampler(conn, target.namespace, fn, target.signal));
    samplers.set(key, { target, sampler });
    const onSwitch = () => samplers.get(key)?.target === target && samplers.delete(key);
    target.signal.addEventListener('abort', onSwitch, { once: true });
    // A sampler that could not start is made again next time; the target (which lives on) keeps nothing of it.
    sampler.catch(() => {
      if (samplers.get(key)?.sampler === sampler) samplers.delete(key);
      target.signal.removeEventListener('abort', onSwitch);
    });
    return sampler;
  }

  return {
    calls: {
      'metrics.history': async ({ function: fn }): Promise<MetricsSample[]> => {
        const target = ctx.clusters.target();
        const existing = samplers.get(`${target.context}\0${target.namespace}\0${fn}`);
        if (!existing || existing.target !== target) return [];
        return (await existing.sampler).history.slice();
      },
    },
    streams: {
      'metrics.watch': async (params, sink) => {
        const target = ctx.clusters.target();
        const signal = AbortSignal.any([sink.signal, target.signal]);
        const sampler = await samplerFor(target, params.function);
        const unsubscribe = sampler.subscribe({ intervalMs: params.intervalMs, emit: (e) => sink.emit(e) });
        try {
          await new Promise<void>((resolve) => {
            if (signal.aborted) return resolve();
            signal.addEventListener('abort', () => resolve(), { once: true });
          });
        } finally {
          unsubscribe();
        }
      },
    },
  };
}
