import { FuncdeckError } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { StreamHandlers } from '../handlers';

/** Kubernetes events of a function's objects. */
export function eventsHandlers(ctx: EngineContext): { calls: Record<string, never>; streams: Pick<StreamHandlers, 'events.watch'> } {
  void ctx;
  return {
    calls: {},
    streams: {
      'events.watch': async () => {
        throw new FuncdeckError('UNSUPPORTED', 'Watching events is not built yet in this engine version.');
      },
    },
  };
}
