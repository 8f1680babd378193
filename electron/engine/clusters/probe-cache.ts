import type { KubeConfig } from '@kubernetes/client-node';
import type { ProbeResult } from '../../../shared/contract';
import { probeCluster, type ProbeMode } from './probe';

/**
 * Probes shared by every caller: one request in flight per context and mode, fresh answers reused
 * for a few seconds. Mode `credentials` runs the context's exec plugin; `anonymous` never does.
 */
export function createProbeCache(load: (context: string) => KubeConfig, opts: { maxAgeMs?: number; timeoutMs?: number } = {}) {
  const maxAgeMs = opts.maxAgeMs ?? 5000;
  const results = new Map<string, { at: number; result: ProbeResult }>();
  const inFlight = new Map<string, Promise<ProbeResult>>();
  const keyOf = (context: string, mode: ProbeMode) => `${mode}\u0000${context}`;

  return {
    probe(context: string, fresh = false, mode: ProbeMode = 'credentials'): Promise<ProbeResult> {
      const key = keyOf(context, mode);
      const cached = results.get(key);
      if (!fresh && cached && Date.now() - cached.at < maxAgeMs) return Promise.resolve(cached.result);
      const running = inFlight.get(key);
      if (running) return running;
      const p = probeCluster(context, () => load(context), { timeoutMs: opts.timeoutMs, mode })
        .then((result) => {
          results.set(key, { at: Date.now(), result });
          return result;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, p);
      return p;
    },
    last(context: string): ProbeResult | undefined {
      const a = results.get(keyOf(context, 'credentials'));
      const b = results.get(keyOf(context, 'anonymous'));
      return !a ? b?.result : !b ? a.result : a.at >= b.at ? a.result : b.result;
    },
    forget(context: string) {
      results.delete(keyOf(context, 'credentials'));
      results.delete(keyOf(context, 'anonymous'));
    },
  };
}
export type ProbeCache = ReturnType<typeof createProbeCache>;
