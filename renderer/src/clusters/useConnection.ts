import { useEffect, useState } from 'react';
import type { ClusterHealth, ErrorShape, ProbeResult } from '../../../shared/contract';
import { connectionView, isDown, type ConnectionView } from './connection';

/** Re-renders every `ms` while `ms` is set (a counter on screen). */
export function useNow(ms: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (ms === null) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return ms === null ? Date.now() : now;
}

/** The selected context's connection as the workbench should treat it (see connection.ts), live. */
export function useConnection(context: string | null, probe: ProbeResult | undefined, health: ClusterHealth | null | undefined, streamError: ErrorShape | null): ConnectionView {
  const [reached, setReached] = useState<string | null>(null);
  const [seenDownAt, setSeenDownAt] = useState<number | null>(null);
  const answering = probe?.reachable === true || health?.state === 'up';
  useEffect(() => {
    if (context && answering) setReached(context);
  }, [context, answering]);
  const down = isDown({ probe, health, streamError });
  useEffect(() => setSeenDownAt((s) => (down ? (s ?? Date.now()) : null)), [down]);
  const now = useNow(down ? 1000 : null);
  return connectionView({ probe, health, streamError, reached: !!context && reached === context, seenDownAt, now });
}
