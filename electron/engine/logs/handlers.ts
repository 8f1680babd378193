import { FuncdeckError } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { CallHandlers, StreamHandlers } from '../handlers';

const notYet = (what: string) => async (): Promise<never> => {
  throw new FuncdeckError('UNSUPPORTED', `${what} is not built yet in this engine version.`);
};

/** Following a function's logs across its pods, and the local log store. */
export function logsHandlers(ctx: EngineContext): {
  calls: Pick<CallHandlers, 'logs.query' | 'logs.clear'>;
  streams: Pick<StreamHandlers, 'logs.follow'>;
} {
  void ctx;
  return {
    calls: { 'logs.query': notYet('Log search'), 'logs.clear': notYet('Clearing logs') },
    streams: { 'logs.follow': notYet('Following logs') },
  };
}
