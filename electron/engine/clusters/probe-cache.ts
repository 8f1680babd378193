import type { KubeConfig } from '@kubernetes/client-node';
import type { ProbeResult } from '../../../shared/contract';
import { probeCluster } from './probe';

/** Probes shared by every caller: one request in flight per context, fresh answers reused for a few seconds. */
export function createProbeCache(load: (context: string) => KubeConfig, opts: { maxAgeMs?: number; timeoutMs?: number } = {}) {
  const maxAgeMs = opts.maxAgeMs ?? 5000;
  const results = new Map<string, { at: number; result: ProbeResult }>();
  const inFlight = new Map<string, Promise<ProbeResult>>();

  return {
    probe(context: string, fresh = false): Promise<ProbeResult> {
      const cached = results.get(context);
      if (!fresh && cached && Date.now() - cached.at < maxAgeMs) return Promise.resolve(cached.result);
      const running = inFlight.get(context);
      if (running) return running;
      const p = probeCluster(context, () => load(context), { timeoutMs: opts.timeoutMs })
        .then((result) => {
          results.set(context, { at: Date.now(), result });
          return result;
        })
        .finally(() => inFlight.delete(context));
      inFlight.set(context, p);
      return p;
    },
    last(context: string): ProbeResult | undefined {
      return results.get(context)?.result;
    },
    forget(context: string) {
      results.delete(context);
    },
  };
}
export type ProbeCache = ReturnType<typeof createProbeCache>;
