import { useEffect, useState } from 'react';
import type { EditorPackages } from '../../../shared/contract/deps';
import type { FunctionSpecInput } from '../../../shared/contract/functions';
import { useEngine } from '../api/engine';
import { lockfileOf } from '../workspace/spec-helpers';

/**
 * The function's installed packages for the editor (deps.types), asked again when its manifest or
 * lockfile changes (after a short pause in typing) or when `refresh` changes (a deploy installed
 * them), and handed to Monaco. Null until the first answer.
 */
export function usePackageTypes(spec: FunctionSpecInput, refresh: unknown): EditorPackages | null {
  const engine = useEngine();
  const [state, setState] = useState<EditorPackages | null>(null);
  const lockfile = lockfileOf(spec)?.content ?? null;
  const { runtime } = spec;
  const dependencies = spec.dependencies ?? '';
  const image = spec.image ?? null;
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      engine
        .call('deps.types', { runtime, dependencies, lockfile, image })
        .then(async (r) => {
          if (!live) return;
          setState(r);
          const { applyPackageTypes } = await import('./package-types');
          if (live) applyPackageTypes(r);
        })
        .catch(() => undefined); // the editor works without them
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [engine, runtime, dependencies, lockfile, image, refresh]);
  return state;
}
