import { useEffect, useRef, useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { LogFollowStatus } from '../../../../shared/contract/logs';
import { useEngine } from '../../api/engine';
import { LogBuffer } from './log-buffer';

/** Follows a function's logs into a capped buffer; React sees at most ~10 updates a second. */
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
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = engine.subscribe('logs.follow', { function: fn, tailLines: 500 }, {
      onEvent(batch) {
        buffer.current.append(batch.lines, batch.dropped ?? 0);
        if (batch.status) setStatus(batch.status);
        timer ??= setTimeout(() => {
          timer = null;
          setVersion(buffer.current.version);
        }, 100);
      },
      onEnd(e) {
        setError(e ?? null);
        setVersion(buffer.current.version);
      },
    });
    return () => {
      if (timer) clearTimeout(timer);
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
