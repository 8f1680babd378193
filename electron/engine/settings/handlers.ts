import { Settings } from '../../../shared/contract/settings';
import type { CallHandlers } from '../handlers';

export function settingsHandlers(source: { get(): Settings; set(next: Settings): void }): Pick<CallHandlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => source.get(),
    'settings.update': async (patch) => {
      const next = Settings.parse({ ...source.get(), ...patch });
      source.set(next);
      return next;
    },
  };
}
