import { FuncdeckError } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { CallHandlers, StreamHandlers } from '../handlers';

const notYet = (what: string) => async (): Promise<never> => {
  throw new FuncdeckError('UNSUPPORTED', `${what} is not built yet in this engine version.`);
};

/** Per-function request metrics from the runtime's Prometheus endpoint, and pod CPU/memory. */
export function metricsHandlers(ctx: EngineContext): {
  calls: Pick<CallHandlers, 'metrics.history'>;
  streams: Pick<StreamHandlers, 'metrics.watch'>;
} {
  void ctx;
  return {
    calls: { 'metrics.history': notYet('Metrics history') },
    streams: { 'metrics.watch': notYet('Metrics') },
  };
}
