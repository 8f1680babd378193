import { FuncdeckError, describeIssues } from '../../../shared/contract';
import { Settings } from '../../../shared/contract/settings';
import type { CallHandlers } from '../handlers';
import type { PersistedSettingsSource } from './source';

export function settingsHandlers(source: PersistedSettingsSource): Pick<CallHandlers, 'settings.get' | 'settings.update' | 'settings.images'> {
  return {
    'settings.get': async () => source.get(),
    'settings.update': async (patch) => {
      const current = source.get();
      const merged = { ...current, ...patch, defaultImages: { ...current.defaultImages, ...patch.defaultImages } };
      const parsed = Settings.safeParse(merged);
      if (!parsed.success) {
        throw new FuncdeckError('BAD_REQUEST', `Invalid settings: ${describeIssues(parsed.error).join('; ')}`, { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      }
      try {
        await source.set(parsed.data);
      } catch (e) {
        throw new FuncdeckError('INTERNAL', `Could not save settings: ${(e as Error).message}. Check that the data folder is writable.`);
      }
      return source.get();
    },
    'settings.images': async () => source.imagesView(),
  };
}
