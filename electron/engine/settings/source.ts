import { DEFAULT_SETTINGS, type Settings } from '../../../shared/contract/settings';
import type { SettingsSource } from '../context';
import type { EngineOptions } from '../options';

/** Defaults, with runtime images overridable from the environment (the dev cluster's images.env). */
export function createSettingsSource(options: EngineOptions): SettingsSource & { set(next: Settings): void } {
  let settings: Settings = {
    ...DEFAULT_SETTINGS,
    runtimeImages: {
      nodejs: options.env.FUNCDECK_IMAGE_NODE ?? DEFAULT_SETTINGS.runtimeImages.nodejs,
      python: options.env.FUNCDECK_IMAGE_PYTHON ?? DEFAULT_SETTINGS.runtimeImages.python,
    },
  };
  return {
    get: () => settings,
    set(next) {
      settings = next;
    },
  };
}
