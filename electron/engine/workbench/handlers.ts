import type { CallHandlers } from '../handlers';
import type { EngineOptions } from '../options';
import { createWorkbenchStore } from './store';

type WorkbenchCalls = 'workbench.get' | 'workbench.save' | 'workbench.layout';

export function workbenchHandlers(options: EngineOptions, onDispose: (fn: () => Promise<void>) => void): Pick<CallHandlers, WorkbenchCalls> {
  const store = createWorkbenchStore(options.dataDir);
  onDispose(() => store.flush());
  return {
    'workbench.get': ({ context }) => store.get(context),
    'workbench.save': async ({ context, place }) => {
      store.save(context, place);
      return { ok: true as const };
    },
    'workbench.layout': async ({ layout }) => {
      store.saveLayout(layout);
      return { ok: true as const };
    },
  };
}
