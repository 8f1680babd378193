import type { EngineContext } from '../context';
import type { StreamHandlers } from '../handlers';
import { watchCollection } from '../kube/watch';
import { fieldSelectorFor, selectEvents, type CoreEvent } from './convert';

/** Kubernetes events of a function's objects, in the selected namespace; ends when the selection changes. */
export function eventsHandlers(ctx: EngineContext): { calls: Record<string, never>; streams: Pick<StreamHandlers, 'events.watch'> } {
  return {
    calls: {},
    streams: {
      'events.watch': async (params, sink) => {
        const target = ctx.clusters.target();
        const signal = AbortSignal.any([sink.signal, target.signal]);
        let last = '';
        await watchCollection<CoreEvent>(
          target.kc,
          {
            path: `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/events`,
            fieldSelector: fieldSelectorFor(params),
            resource: 'events',
            namespace: target.namespace,
          },
          {
            signal,
            batchMs: 250,
            onBatch(items) {
              const snapshot = selectEvents(items, params);
              const text = JSON.stringify(snapshot);
              if (text === last) return; // e.g. an unrelated object's event: nothing new for this view
              last = text;
              sink.emit(snapshot);
            },
          },
        );
      },
    },
  };
}
