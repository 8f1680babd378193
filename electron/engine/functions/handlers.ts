import { FuncdeckError } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { CallHandlers, StreamHandlers } from '../handlers';

type FunctionCallNames =
  | 'functions.list'
  | 'functions.get'
  | 'functions.validate'
  | 'functions.deploy'
  | 'functions.delete'
  | 'functions.templates'
  | 'functions.runtimes'
  | 'revisions.list'
  | 'revisions.rollback'
  | 'revisions.source';
type FunctionStreamNames = 'functions.watch' | 'deploy.progress' | 'revisions.watch';

const notYet = (what: string) => async (): Promise<never> => {
  throw new FuncdeckError('UNSUPPORTED', `${what} is not built yet in this engine version.`);
};

/** Functions, revisions and their deploys (electron/engine/{functions,build,deploy,revisions,runtimes,cron}). */
export function functionsHandlers(ctx: EngineContext): {
  calls: Pick<CallHandlers, FunctionCallNames>;
  streams: Pick<StreamHandlers, FunctionStreamNames>;
} {
  void ctx;
  return {
    calls: {
      'functions.list': notYet('Listing functions'),
      'functions.get': notYet('Reading a function'),
      'functions.validate': notYet('Validating a function'),
      'functions.deploy': notYet('Deploying a function'),
      'functions.delete': notYet('Deleting a function'),
      'functions.templates': notYet('Templates'),
      'functions.runtimes': notYet('The runtime list'),
      'revisions.list': notYet('Listing revisions'),
      'revisions.rollback': notYet('Rollback'),
      'revisions.source': notYet('Revision sources'),
    },
    streams: {
      'functions.watch': notYet('Watching functions'),
      'deploy.progress': notYet('Deploy progress'),
      'revisions.watch': notYet('Watching revisions'),
    },
  };
}
