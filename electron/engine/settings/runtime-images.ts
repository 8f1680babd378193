import { RuntimeId, type RuntimeImageChoice, type RuntimeImages, type RuntimeImagesView, type Settings } from '../../../shared/contract/settings';
import type { ClusterAccess, ClusterTarget } from '../kube/access';
import type { DetectedImages } from './detect-images';

/** Environment overrides, for tests and CI: they win over everything, in every context. */
const ENV_KEYS: Record<RuntimeId, string> = { nodejs: 'FUNCDECK_IMAGE_NODE', python: 'FUNCDECK_IMAGE_PYTHON' };

/** Per runtime: the environment, then what the user set for this context, then what was detected on its cluster, then the default. */
export function chooseImages(settings: Settings, env: NodeJS.ProcessEnv, context: string | null, detected: Partial<RuntimeImages>): RuntimeImageChoice[] {
  const set = context ? (settings.contextImages[context] ?? {}) : {};
  return RuntimeId.options.map((runtime) => {
    const environment = env[ENV_KEYS[runtime]]?.trim() || null;
    const mine = set[runtime] ?? null;
    const found = detected[runtime] ?? null;
    const fallback = settings.defaultImages[runtime];
    const [image, source] = environment
      ? ([environment, 'environment'] as const)
      : mine
        ? ([mine, 'context'] as const)
        : found
          ? ([found, 'detected'] as const)
          : ([fallback, 'default'] as const);
    return { runtime, image, source, environment, set: mine, detected: found, default: fallback };
  });
}

/** Detected images stay valid this long; a cluster rebuilt with other images is seen after it. */
const DETECTED_TTL_MS = 5 * 60_000;

export interface RuntimeImagesSource {
  /** The images deploys use in the selected context (the defaults when none is selected). */
  images(): Promise<RuntimeImages>;
  /** The same, with where each came from, for Settings. */
  view(): Promise<RuntimeImagesView>;
}

/**
 * Runtime images per context: detection runs against the selected context only (never another
 * context's credentials), once per context every few minutes; calls during a detection share it.
 * An answer from a cluster that could not be asked is used but not kept, so the next call asks again.
 */
export function createRuntimeImages(deps: {
  settings: () => Settings;
  env: NodeJS.ProcessEnv;
  clusters?: ClusterAccess | undefined;
  detect: (target: ClusterTarget) => Promise<DetectedImages>;
  now?: () => number;
}): RuntimeImagesSource {
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; pending: Promise<DetectedImages> }>();

  const currentTarget = (): ClusterTarget | null => {
    try {
      return deps.clusters?.target() ?? null;
    } catch {
      return null; // nothing selected: the defaults apply
    }
  };

  function detected(target: ClusterTarget): Promise<DetectedImages> {
    const key = `${target.context}\u0000${target.kc.getCurrentCluster?.()?.server ?? ''}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < DETECTED_TTL_MS) return hit.pending;
    const pending = deps.detect(target).then(
      (d) => {
        if (!d.checked && cache.get(key)?.pending === pending) cache.delete(key);
        return d;
      },
      (e: unknown): DetectedImages => {
        cache.delete(key);
        return { images: {}, how: `Could not look for local images (${e instanceof Error ? e.message : String(e)}); the default images are used for now.`, checked: false };
      },
    );
    cache.set(key, { at: now(), pending });
    return pending;
  }

  async function view(): Promise<RuntimeImagesView> {
    const target = currentTarget();
    const found = target ? await detected(target) : { images: {}, how: 'No context is selected, so the default images are shown.', checked: false };
    return { context: target?.context ?? null, runtimes: chooseImages(deps.settings(), deps.env, target?.context ?? null, found.images), detection: found.how };
  }

  return {
    view,
    async images() {
      const choices = (await view()).runtimes;
      return Object.fromEntries(choices.map((c) => [c.runtime, c.image])) as RuntimeImages;
    },
  };
}
