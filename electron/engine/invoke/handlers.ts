import { FuncdeckError } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { CallHandlers, StreamHandlers } from '../handlers';

type InvokeCallNames =
  | 'invoke.send'
  | 'invoke.history'
  | 'invoke.history.clear'
  | 'invoke.saved.list'
  | 'invoke.saved.save'
  | 'invoke.saved.delete';

const notYet = (what: string) => async (): Promise<never> => {
  throw new FuncdeckError('UNSUPPORTED', `${what} is not built yet in this engine version.`);
};

/** Invoking functions through the API server's service proxy, with a local history and saved requests. */
export function invokeHandlers(ctx: EngineContext): { calls: Pick<CallHandlers, InvokeCallNames>; streams: Pick<StreamHandlers, never> } {
  void ctx;
  return {
    calls: {
      'invoke.send': notYet('Invoking'),
      'invoke.history': notYet('Invocation history'),
      'invoke.history.clear': notYet('Invocation history'),
      'invoke.saved.list': notYet('Saved requests'),
      'invoke.saved.save': notYet('Saved requests'),
      'invoke.saved.delete': notYet('Saved requests'),
    },
    streams: {},
  };
}
