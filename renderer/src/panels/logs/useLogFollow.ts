import { useEffect, useRef, useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { LogFollowStatus } from '../../../../shared/contract/logs';
import { useEngine } from '../../api/engine';
import { LogBuffer } from './log-buffer';
import { RedrawPacer } from './redraw-pacer';

/**
 * Follows a function's logs into a capped buffer. Every line is held and counted as it arrives;
 * React is told at the next frame while lines are few, and about four times a second under a flood
 * (see RedrawPacer).
 */
export function useLogFollow(fn: string | null, selectionKey: string) {
  const engine = useEngine();
  const buffer = useRef(new LogBuffer());
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<LogFollowStatus | null>(null);
  const [error, setError] = useState<FuncdeckError | null>(null);

  useEffect(() => {
    buffer.current = new LogBuffer();
    setVersion((v) => v + 1);
    setStatus(null);
    setError(null);
    if (!fn) return;
    const pacer = new RedrawPacer();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let frame = 0;
    const show = () => {
      frame = 0;
      pacer.drew(performance.now());
      setVersion(buffer.current.version);
    };
    const unsubscribe = engine.subscribe('logs.follow', { function: fn, tailLines: 500 }, {
      onEvent(batch) {
        buffer.current.append(batch.lines, batch.dropped ?? 0);
        if (batch.status) setStatus(batch.status);
        const now = performance.now();
        pacer.arrived(now, batch.lines.length);
        if (timer || frame) return;
        const wait = pacer.wait(now);
        if (wait === 0) frame = requestAnimationFrame(show);
        else
          timer = setTimeout(() => {
            timer = null;
            frame = requestAnimationFrame(show);
          }, wait);
      },
      onEnd(e) {
        setError(e ?? null);
        setVersion(buffer.current.version);
      },
    });
    return () => {
      if (timer) clearTimeout(timer);
      if (frame) cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [engine, fn, selectionKey]);

  return {
    buffer: buffer.current,
    version,
    status,
    error,
    clear() {
      buffer.current.clear();
      setVersion(buffer.current.version);
    },
  };
}
