import type { V1Pod } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import type { LiveStatus } from '../../../shared/contract/live';
import type { EngineContext } from '../context';
import { collections } from '../deploy/kube-ops';
import { functionSelector } from '../deploy/names';
import { parseSpec } from '../functions/spec';
import type { CallHandlers, StreamHandlers } from '../handlers';
import { watchCollection, type KubeObject } from '../kube/watch';
import { keyOf, LiveSessions } from './sessions';

/** live.push, live.stop and live.status (shared/contract/live.ts). */
export function liveHandlers(ctx: EngineContext): { calls: Pick<CallHandlers, 'live.push' | 'live.stop'>; streams: Pick<StreamHandlers, 'live.status'> } {
  const sessions = new LiveSessions();
  return {
    calls: {
      'live.push': async ({ spec: raw }) => {
        const parsed = parseSpec(raw);
        if (!parsed.spec) {
          const lines = parsed.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
          throw new FuncdeckError('INVALID_SPEC', `The function spec has ${lines.length} problem(s): ${lines.join('; ')}`, { issues: parsed.issues });
        }
        const t = ctx.clusters.target();
        return sessions.push(t.kc, t.context, t.namespace, parsed.spec);
      },
      'live.stop': async ({ name }) => {
        const t = ctx.clusters.target();
        return { name, restored: await sessions.stop(t.kc, t.context, t.namespace, name) };
      },
    },
    streams: {
      'live.status': async ({ name }, sink) => {
        const t = ctx.clusters.target();
        const signal = AbortSignal.any([sink.signal, t.signal]);
        let pods: V1Pod[] = [];
        let last = '';
        let chain = Promise.resolve();
        const refresh = () => {
          chain = chain.then(async () => {
            if (signal.aborted) return;
            const serving = await sessions.servingOf(t.kc, t.namespace, name).catch(() => null);
            const status: LiveStatus = sessions.status(t.context, t.namespace, name, serving, pods);
            const text = JSON.stringify(status);
            if (text !== last && !signal.aborted) {
              last = text;
              sink.emit(status);
            }
          });
        };
        // Only this function's pushes and stops: every other function's save would re-read the cluster here.
        const mine = keyOf(t.context, t.namespace, name);
        const onChange = (key: string) => key === mine && refresh();
        sessions.changes.on('change', onChange);
        try {
          await watchCollection<KubeObject>(
            t.kc,
            { path: collections(t.namespace).pods.path, labelSelector: functionSelector(name), resource: 'pods', namespace: t.namespace },
            {
              signal,
              batchMs: 100,
              onBatch: (items) => {
                pods = items as V1Pod[];
                refresh();
              },
            },
          );
        } finally {
          sessions.changes.off('change', onChange);
        }
      },
    },
  };
}
