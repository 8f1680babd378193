import { useCallback, useEffect, useRef, useState } from 'react';
import './transient-note.css';

/** How long a short notice ("Copied the curl command.") stays before it fades. */
export const NOTE_VISIBLE_MS = 4000;
const FADE_MS = 600;

/**
 * A short notice that fades away: `show(text)` puts it up; it fades after NOTE_VISIBLE_MS and is
 * then emptied. The live region stays mounted, so screen readers announce each text, politely.
 */
export function useTransientNote(): { text: string | null; fading: boolean; show(text: string, opts?: { keep?: boolean }): void; clear(): void } {
  const [note, setNote] = useState<{ text: string; fading: boolean } | null>(null);
  const timers = useRef<Array<ReturnType<typeof setTimeout>>>([]);
  const clear = () => {
    timers.current.forEach(clearTimeout);
    timers.current = [];
  };
  useEffect(() => clear, []);
  // `keep`: a problem to act on stays until the next notice or clear().
  const show = useCallback((text: string, opts: { keep?: boolean } = {}) => {
    clear();
    setNote({ text, fading: false });
    if (opts.keep) return;
    timers.current.push(
      setTimeout(() => setNote((n) => n && { ...n, fading: true }), NOTE_VISIBLE_MS),
      setTimeout(() => setNote(null), NOTE_VISIBLE_MS + FADE_MS),
    );
  }, []);
  const dismiss = useCallback(() => {
    clear();
    setNote(null);
  }, []);
  return { text: note?.text ?? null, fading: note?.fading ?? false, show, clear: dismiss };
}

export function TransientNote({ note, className = '' }: { note: ReturnType<typeof useTransientNote>; className?: string }) {
  return (
    <span role="status" aria-live="polite" className={`transient-note muted ${note.fading ? 'fading' : ''} ${className}`}>
      {note.text}
    </span>
  );
}
