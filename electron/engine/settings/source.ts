import path from 'node:path';
import { DEFAULT_SETTINGS, Settings } from '../../../shared/contract/settings';
import type { SettingsSource } from '../context';
import type { EngineOptions } from '../options';
import { createSerialQueue, readJsonSync, writeJsonAtomic } from '../store/json-file';

export interface PersistedSettingsSource extends SettingsSource {
  /** The settings as stored, before environment overrides. */
  stored(): Settings;
  /** Validates, stores in memory at once and on disk (dataDir/settings.json); resolves when written. */
  set(next: Settings): Promise<void>;
}

/** Environment overrides win over stored settings (the dev cluster's images.env sets the runtime images). */
export function applyEnvOverrides(settings: Settings, env: NodeJS.ProcessEnv): Settings {
  const nodejs = env.FUNCDECK_IMAGE_NODE?.trim();
  const python = env.FUNCDECK_IMAGE_PYTHON?.trim();
  if (!nodejs && !python) return settings;
  return {
    ...settings,
    runtimeImages: {
      ...settings.runtimeImages,
      ...(nodejs ? { nodejs } : {}),
      ...(python ? { python } : {}),
    },
  };
}

/** Stored settings merged over the defaults field by field; invalid fields fall back to their default. */
export function mergeStored(raw: unknown): Settings {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return DEFAULT_SETTINGS;
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(key in DEFAULT_SETTINGS)) continue;
    const field = (Settings.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>)[key];
    const parsed = field?.safeParse(key === 'runtimeImages' ? { ...DEFAULT_SETTINGS.runtimeImages, ...(value as object) } : value);
    if (parsed?.success) out[key] = parsed.data;
  }
  return out as Settings;
}

export function settingsFile(options: EngineOptions): string {
  return path.join(options.dataDir, 'settings.json');
}

/** Settings kept in dataDir/settings.json, read once at start (synchronously: they are tiny) and written on change. */
export function createSettingsSource(options: EngineOptions): PersistedSettingsSource {
  const file = settingsFile(options);
  // A file that is not a JSON object is kept aside; invalid fields of a good one fall back one by one.
  let stored = mergeStored(readJsonSync(file, { what: 'Settings', instead: 'defaults are used', accept: (v) => Boolean(v) && typeof v === 'object' && !Array.isArray(v) }));
  const queue = createSerialQueue();
  return {
    get: () => applyEnvOverrides(stored, options.env),
    stored: () => stored,
    async set(next) {
      stored = Settings.parse(next);
      const snapshot = stored;
      await queue(() => writeJsonAtomic(file, snapshot));
    },
  };
}
