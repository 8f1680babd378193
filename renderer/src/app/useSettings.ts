import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_SETTINGS, type FuncdeckError, type Settings } from '../../../shared/contract';
import { useEngine } from '../api/engine';

/** The engine's settings (settings.get/update); defaults until the first answer. */
export function useSettings() {
  const engine = useEngine();
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let live = true;
    engine.call('settings.get', {}).then(
      (s) => live && (setSettings(s), setLoaded(true)),
      () => live && setLoaded(true),
    );
    return () => {
      live = false;
    };
  }, [engine]);
  const update = useCallback(
    async (patch: Partial<Settings>): Promise<FuncdeckError | null> => {
      try {
        setSettings(await engine.call('settings.update', patch));
        return null;
      } catch (e) {
        return e as FuncdeckError;
      }
    },
    [engine],
  );
  return { settings, loaded, update };
}
