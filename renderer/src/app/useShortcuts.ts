import { useEffect, useRef } from 'react';

export interface Shortcut {
  /** e.g. "mod+s", "mod+enter", "mod+shift+enter", "mod+shift+p" (mod = Ctrl, or Cmd on macOS). */
  keys: string;
  run(): void;
}

function matches(e: KeyboardEvent, keys: string) {
  const parts = keys.split('+');
  const key = parts[parts.length - 1]!;
  const mod = e.ctrlKey || e.metaKey;
  return (
    parts.includes('mod') === mod &&
    parts.includes('shift') === e.shiftKey &&
    !e.altKey &&
    (e.key.toLowerCase() === key || (key === 'enter' && e.key === 'Enter'))
  );
}

/**
 * App-wide shortcuts, caught in the capture phase so they work inside Monaco too (which would
 * otherwise take Ctrl+Enter for itself) and never reach the browser's own Ctrl+S.
 */
export function useShortcuts(shortcuts: Shortcut[]) {
  const ref = useRef(shortcuts);
  ref.current = shortcuts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const hit = ref.current.find((s) => matches(e, s.keys));
      if (!hit) return;
      e.preventDefault();
      e.stopPropagation();
      hit.run();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
