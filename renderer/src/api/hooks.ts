import { useEffect, useRef, useState } from 'react';
import type { FuncdeckError, StreamEvent, StreamName, StreamParams } from '../../../shared/contract';
import type { ConnectionStatus } from './transport';
import { useEngine } from './engine';

export function useEngineStatus(): ConnectionStatus {
  const engine = useEngine();
  const [status, setStatus] = useState<ConnectionStatus>(engine.status);
  useEffect(() => {
    setStatus(engine.status);
    return engine.onStatus(setStatus);
  }, [engine]);
  return status;
}

export interface StreamState<T> {
  value: T;
  /** Set when the engine ended the stream with an error (e.g. FORBIDDEN, UNKNOWN_METHOD). */
  error: FuncdeckError | null;
}

/**
 * Subscribes while `params` is non-null (re-subscribing when its JSON changes) and folds events into
 * state. Events are reduced into a ref as they arrive and published to React at most every
 * `intervalMs`, so a burst of events costs one render, never one per event.
 */
export function useStream<K extends StreamName, T>(
  name: K,
  params: StreamParams<K> | null,
  initial: T,
  reduce: (state: T, event: StreamEvent<K>) => T,
  intervalMs = 100,
  /** Changing it re-subscribes with the same params (e.g. the engine ends streams when the selection changes). */
  resubscribeKey = '',
): StreamState<T> & { reset(next: T): void } {
  const engine = useEngine();
  const key = params === null ? null : JSON.stringify(params);
  const [state, setState] = useState<StreamState<T>>({ value: initial, error: null });
  const acc = useRef<T>(initial);
  const reduceRef = useRef(reduce);
  reduceRef.current = reduce;

  useEffect(() => {
    acc.current = initial;
    setState({ value: initial, error: null });
    if (key === null) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      setState({ value: acc.current, error: null });
    };
    const unsubscribe = engine.subscribe(name, JSON.parse(key) as StreamParams<K>, {
      onEvent(event) {
        acc.current = reduceRef.current(acc.current, event);
        timer ??= setTimeout(flush, intervalMs);
      },
      onEnd(error) {
        if (timer) clearTimeout(timer);
        timer = null;
        setState({ value: acc.current, error: error ?? null });
      },
    });
    return () => {
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
    // `initial` is only the starting value; changing it must not re-subscribe.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, name, key, intervalMs, resubscribeKey]);

  return {
    ...state,
    reset(next: T) {
      acc.current = next;
      setState((s) => ({ ...s, value: next }));
    },
  };
}
