import { FuncdeckError, describeIssues } from '../../../shared/contract';
import { Settings } from '../../../shared/contract/settings';
import type { CallHandlers } from '../handlers';
import type { PersistedSettingsSource } from './source';

export function settingsHandlers(source: PersistedSettingsSource): Pick<CallHandlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => source.get(),
    'settings.update': async (patch) => {
      const merged = { ...source.stored(), ...patch };
      if (patch.runtimeImages) merged.runtimeImages = { ...source.stored().runtimeImages, ...patch.runtimeImages };
      const parsed = Settings.safeParse(merged);
      if (!parsed.success) {
        throw new FuncdeckError('BAD_REQUEST', `Invalid settings: ${describeIssues(parsed.error).join('; ')}`);
      }
      try {
        await source.set(parsed.data);
      } catch (e) {
        throw new FuncdeckError('INTERNAL', `Could not save settings: ${(e as Error).message}. Check that the data folder is writable.`);
      }
      return source.get();
    },
  };
}
