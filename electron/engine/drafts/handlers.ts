import type { CallHandlers } from '../handlers';
import type { EngineOptions } from '../options';
import { createDraftStore } from './store';

export function draftsHandlers(options: EngineOptions): Pick<CallHandlers, 'drafts.list' | 'drafts.get' | 'drafts.save' | 'drafts.delete'> {
  const store = createDraftStore(options.dataDir);
  return {
    'drafts.list': (filter) => store.list(filter),
    'drafts.get': (key) => store.get(key),
    'drafts.save': ({ spec, ...key }) => store.save(key, spec),
    'drafts.delete': async (key) => ({ deleted: await store.delete(key) }),
  };
}
