import path from 'node:path';
import { DEFAULT_SETTINGS, RuntimeImages, Settings, type RuntimeImagesView } from '../../../shared/contract/settings';
import type { SettingsSource } from '../context';
import type { ClusterAccess, ClusterTarget } from '../kube/access';
import type { EngineOptions } from '../options';
import { createSerialQueue, readJsonSync, writeJsonAtomic } from '../store/json-file';
import { defaultDetectDeps, detectRuntimeImages, type DetectedImages } from './detect-images';
import { createRuntimeImages } from './runtime-images';

export interface PersistedSettingsSource extends SettingsSource {
  /** Validates, stores in memory at once and on disk (dataDir/settings.json); resolves when written. */
  set(next: Settings): Promise<void>;
  /** The selected context's runtime images and where each came from. */
  imagesView(): Promise<RuntimeImagesView>;
}

type Field = { safeParse(v: unknown): { success: boolean; data?: unknown } };

/** Each runtime's image that is valid, over `base`. */
function mergeImages(base: Partial<RuntimeImages>, raw: unknown): Partial<RuntimeImages> {
  const out: Partial<RuntimeImages> = { ...base };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [runtime, field] of Object.entries(RuntimeImages.shape) as Array<[keyof RuntimeImages, Field]>) {
    const parsed = field.safeParse((raw as Record<string, unknown>)[runtime]);
    if (parsed.success) out[runtime] = parsed.data as string;
  }
  return out;
}

/**
 * Stored settings merged over the defaults field by field; invalid fields (or one context's invalid
 * image) fall back to their default. A file of the old shape, one `runtimeImages` for every context,
 * becomes the default images.
 */
export function mergeStored(raw: unknown): Settings {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return DEFAULT_SETTINGS;
  const stored = raw as Record<string, unknown>;
  const out: Settings = { ...DEFAULT_SETTINGS };
  const fields = Settings.shape as unknown as Record<string, Field>;
  for (const key of ['defaultNamespace', 'revisionsToKeep', 'theme'] as const) {
    const parsed = fields[key]!.safeParse(stored[key]);
    if (parsed.success) (out as Record<string, unknown>)[key] = parsed.data;
  }
  out.defaultImages = mergeImages(DEFAULT_SETTINGS.defaultImages, stored.defaultImages ?? stored.runtimeImages) as RuntimeImages;
  const contexts = stored.contextImages;
  if (contexts && typeof contexts === 'object' && !Array.isArray(contexts)) {
    out.contextImages = {};
    for (const [context, images] of Object.entries(contexts)) {
      const kept = mergeImages({}, images);
      if (context && Object.keys(kept).length) out.contextImages[context] = kept;
    }
  }
  return out;
}

export function settingsFile(options: EngineOptions): string {
  return path.join(options.dataDir, 'settings.json');
}

/**
 * Settings kept in dataDir/settings.json, read once at start (synchronously: they are tiny) and
 * written on change; runtime images resolved per selected context (see runtime-images.ts).
 */
export function createSettingsSource(
  options: EngineOptions,
  clusters?: ClusterAccess,
  detect: (target: ClusterTarget) => Promise<DetectedImages> = (t) => detectRuntimeImages(t, defaultDetectDeps(options)),
): PersistedSettingsSource {
  const file = settingsFile(options);
  // A file that is not a JSON object is kept aside; invalid fields of a good one fall back one by one.
  let stored = mergeStored(readJsonSync(file, { what: 'Settings', instead: 'defaults are used', accept: (v) => Boolean(v) && typeof v === 'object' && !Array.isArray(v) }));
  const queue = createSerialQueue();
  const images = createRuntimeImages({ settings: () => stored, env: options.env, clusters, detect });
  return {
    get: () => stored,
    runtimeImages: () => images.images(),
    imagesView: () => images.view(),
    async set(next) {
      stored = Settings.parse(next);
      const snapshot = stored;
      await queue(() => writeJsonAtomic(file, snapshot));
    },
  };
}
