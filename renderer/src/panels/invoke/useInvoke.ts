import { useCallback, useEffect, useRef, useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { InvokeProgress, InvokeRequestInput, InvokeResult } from '../../../../shared/contract/invoke';
import { useEngine } from '../../api/engine';

/** An answer while it arrives: its head, and the text (or byte count) received so far. */
export interface LiveAnswer {
  head: Extract<InvokeProgress, { type: 'head' }> | null;
  text: string;
  /** False once chunks came that are not shown (binary, or past the display limit). */
  allShown: boolean;
  receivedBytes: number;
}

export interface InvokeState {
  sending: boolean;
  live: LiveAnswer | null;
  result: InvokeResult | null;
  error: FuncdeckError | null;
}

const IDLE: InvokeState = { sending: false, live: null, result: null, error: null };
/** The answer shown while it arrives is repainted at most this often. */
const PAINT_MS = 50;

/**
 * Sends one invoke and shows its answer as it arrives: subscribes to invoke.progress under a fresh
 * key, then sends with that key; the call's result replaces the live view. `reset` clears it all
 * (another function, context or namespace).
 */
export function useInvoke(): InvokeState & { send(request: InvokeRequestInput): Promise<void>; reset(): void } {
  const engine = useEngine();
  const [state, setState] = useState<InvokeState>(IDLE);
  const current = useRef(0);

  const reset = useCallback(() => {
    current.current++;
    setState(IDLE);
  }, []);
  useEffect(() => () => void current.current++, []);

  const send = useCallback(
    async (request: InvokeRequestInput) => {
      const mine = ++current.current;
      const live: LiveAnswer = { head: null, text: '', allShown: true, receivedBytes: 0 };
      let timer: ReturnType<typeof setTimeout> | null = null;
      const paint = () => {
        timer = null;
        if (current.current === mine) setState((s) => ({ ...s, live: { ...live } }));
      };
      setState({ sending: true, live: null, result: null, error: null });
      const key = crypto.randomUUID();
      const unsubscribe = engine.subscribe(
        'invoke.progress',
        { key },
        {
          onEvent(e) {
            if (e.type === 'head') live.head = e;
            else {
              if (e.text === null) live.allShown = false;
              else live.text += e.text;
              live.receivedBytes = e.receivedBytes;
            }
            timer ??= setTimeout(paint, live.head && live.receivedBytes === 0 ? 0 : PAINT_MS);
          },
        },
      );
      try {
        const result = await engine.call('invoke.send', { ...request, progressKey: key });
        if (current.current === mine) setState({ sending: false, live: null, result, error: null });
      } catch (e) {
        // A cut answer keeps what arrived of it on screen, beside the error.
        if (current.current === mine) setState({ sending: false, live: live.head ? { ...live } : null, result: null, error: e as FuncdeckError });
      } finally {
        if (timer) clearTimeout(timer);
        unsubscribe();
      }
    },
    [engine],
  );

  return { ...state, send, reset };
}
