import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorkbenchLayout, WorkbenchPlace } from '../../../shared/contract/workbench';
import { useEngine } from '../api/engine';

/** Changes gather this long before they go to the engine (which coalesces its disk writes again). */
const SEND_DELAY_MS = 300;

export interface PlaceState {
  /** The place kept for `context`: undefined while it loads, null when there is none yet. */
  place: WorkbenchPlace | null | undefined;
  layout: WorkbenchLayout | null;
  /** Keeps `place` for `context` (sent shortly, or at once with flush). */
  keep(context: string, place: WorkbenchPlace): void;
  keepLayout(layout: WorkbenchLayout): void;
  /** Sends what is waiting now (before a context switch, when the page hides). */
  flush(): void;
  /** The place kept for another context, straight from the engine. */
  read(context: string): Promise<WorkbenchPlace | null>;
}

/**
 * The workbench as left in the selected context, kept by the engine (workbench.*), so a reload, an app
 * restart or a switch to another context and back finds it as it was. In the engine rather than
 * browser storage: browser mode gets a new origin (port) each launch, and one store serves both modes.
 */
export function usePlace(context: string | null): PlaceState {
  const engine = useEngine();
  const [loaded, setLoaded] = useState<{ context: string; place: WorkbenchPlace | null } | null>(null);
  const [layout, setLayout] = useState<WorkbenchLayout | null>(null);
  const waiting = useRef<{ place?: { context: string; place: WorkbenchPlace }; layout?: WorkbenchLayout }>({});
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!context) return;
    let live = true;
    engine.call('workbench.get', { context }).then(
      (r) => {
        if (!live) return;
        setLoaded({ context, place: r.place });
        if (r.layout) setLayout((l) => l ?? r.layout);
      },
      () => live && setLoaded({ context, place: null }),
    );
    return () => {
      live = false;
    };
  }, [engine, context]);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const { place, layout: l } = waiting.current;
    waiting.current = {};
    // Losing a keep costs at most the last fraction of a second of layout; the next change sends again.
    if (place) engine.call('workbench.save', place).catch(() => undefined);
    if (l) engine.call('workbench.layout', { layout: l }).catch(() => undefined);
  }, [engine]);

  const later = useCallback(() => {
    timer.current ??= setTimeout(flush, SEND_DELAY_MS);
  }, [flush]);

  const keep = useCallback(
    (ctx: string, place: WorkbenchPlace) => {
      // Another context's place waiting to go: send it first, it must not be replaced.
      if (waiting.current.place && waiting.current.place.context !== ctx) flush();
      waiting.current.place = { context: ctx, place };
      later();
    },
    [flush, later],
  );
  const keepLayout = useCallback(
    (l: WorkbenchLayout) => {
      setLayout(l);
      waiting.current.layout = l;
      later();
    },
    [later],
  );

  // A reload or a closed window: send what is waiting while the page can still talk.
  useEffect(() => {
    const onHide = () => flush();
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      flush(); // what waits goes now, and no timer outlives the component
    };
  }, [flush]);

  const read = useCallback(async (ctx: string) => (await engine.call('workbench.get', { context: ctx }).catch(() => null))?.place ?? null, [engine]);

  return { place: context && loaded?.context === context ? loaded.place : undefined, layout, keep, keepLayout, flush, read };
}
