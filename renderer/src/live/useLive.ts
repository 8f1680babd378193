import { useCallback, useEffect, useRef, useState } from 'react';
import type { FuncdeckError } from '../../../shared/contract';
import type { FunctionSpecInput } from '../../../shared/contract/functions';
import type { LivePushResult, LiveStatus } from '../../../shared/contract/live';
import { useEngine } from '../api/engine';
import { useStream } from '../api/hooks';
import { onSaved } from './saved';

export interface LivePush {
  state: 'idle' | 'pushing' | 'done' | 'failed';
  result: LivePushResult | null;
  error: FuncdeckError | null;
}

export interface Live {
  /** Live mode: each save pushes the code into the serving revision's pods. */
  on: boolean;
  toggle(): void;
  push: LivePush;
  status: LiveStatus | null;
}

/**
 * Live mode for the open function (electron/engine/live): turning it on pushes the editor's code
 * at once; then every save pushes it; turning it off gives the pods their revision's code back.
 * live.status is followed while the function is deployed, so a pod that restarts with its
 * revision's code is reported whether or not Live is on.
 */
export function useLive(name: string, spec: FunctionSpecInput, deployed: boolean): Live {
  const engine = useEngine();
  const [on, setOn] = useState(false);
  const [push, setPush] = useState<LivePush>({ state: 'idle', result: null, error: null });
  const specRef = useRef(spec);
  specRef.current = spec;
  const onRef = useRef(on);
  onRef.current = on;
  useEffect(() => {
    setOn(false);
    setPush({ state: 'idle', result: null, error: null });
  }, [name]);
  const status = useStream('live.status', deployed ? { name } : null, null as LiveStatus | null, (_s, e) => e);

  const doPush = useCallback(async () => {
    setPush((p) => ({ ...p, state: 'pushing' }));
    try {
      const result = await engine.call('live.push', { spec: specRef.current });
      const failed = result.pods.find((p) => !p.ok);
      setPush({ state: failed ? 'failed' : 'done', result, error: failed ? ({ code: 'DEPLOY_FAILED', message: `${failed.pod}: ${failed.error}` } as FuncdeckError) : null });
    } catch (e) {
      setPush({ state: 'failed', result: null, error: e as FuncdeckError });
    }
  }, [engine]);

  useEffect(() => onSaved((saved) => saved === name && onRef.current && void doPush()), [name, doPush]);

  const toggle = useCallback(() => {
    if (!onRef.current) {
      setOn(true);
      void doPush();
    } else {
      setOn(false);
      setPush({ state: 'idle', result: null, error: null });
      void engine.call('live.stop', { name }).catch(() => undefined);
    }
  }, [engine, name, doPush]);

  return { on, toggle, push, status: status.value };
}
