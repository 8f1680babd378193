import { useEffect, useState } from 'react';

export type ThemeSetting = 'system' | 'dark' | 'light';
export type ResolvedTheme = 'dark' | 'light';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The theme in effect: the setting, or the system's preference (followed live) for 'system'. */
export function useResolvedTheme(setting: ThemeSetting): ResolvedTheme {
  const [systemDark, setSystemDark] = useState(() => query().matches);
  useEffect(() => {
    const mq = query();
    const onChange = () => setSystemDark(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  const resolved: ResolvedTheme = setting === 'system' ? (systemDark ? 'dark' : 'light') : setting;
  useEffect(() => {
    if (setting === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = setting;
  }, [setting]);
  return resolved;
}
