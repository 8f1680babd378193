import type { EngineContext } from '../context';
import type { StreamHandlers } from '../handlers';
import { watchCollection } from '../kube/watch';
import { fieldSelectorFor, selectEvents, type CoreEvent } from './convert';
import { watchFunctionUids } from './function-uids';

/** Kubernetes events of a function's objects, in the selected namespace; ends when the selection changes. */
export function eventsHandlers(ctx: EngineContext): { calls: Record<string, never>; streams: Pick<StreamHandlers, 'events.watch'> } {
  return {
    calls: {},
    streams: {
      'events.watch': async (params, sink) => {
        const target = ctx.clusters.target();
        const stop = new AbortController(); // one watch failing ends the others too
        const signal = AbortSignal.any([sink.signal, target.signal, stop.signal]);
        let last = '';
        let events: CoreEvent[] | null = null;
        // A function's events are those of objects carrying its labels; until those are listed, nothing is shown.
        let owned: ReadonlySet<string> | null = params.function ? null : new Set();
        const emit = () => {
          if (!events || !owned) return;
          const snapshot = selectEvents(events, params, params.function ? owned : undefined);
          const text = JSON.stringify(snapshot);
          if (text === last) return; // e.g. an unrelated object's event: nothing new for this view
          last = text;
          sink.emit(snapshot);
        };
        try {
          await Promise.all([
            params.function
              ? watchFunctionUids(target.kc, target.namespace, params.function, signal, (uids) => {
                  owned = uids;
                  emit();
                })
              : Promise.resolve(),
            watchCollection<CoreEvent>(
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
                  events = items;
                  emit();
                },
              },
            ),
          ]);
        } finally {
          stop.abort();
        }
      },
    },
  };
}
