import type { CallHandlers } from '../handlers';
import type { EngineOptions } from '../options';
import { storeProblemsIn } from '../store/problems';

export function appHandlers(options: EngineOptions): Pick<CallHandlers, 'app.info'> {
  return {
    'app.info': async () => ({
      name: 'Funcdeck',
      version: options.version,
      mode: options.mode,
      platform: process.platform,
      node: process.versions.node,
      storeProblems: storeProblemsIn(options.dataDir),
    }),
  };
}
