import { useCallback, useEffect, useState } from 'react';
import type { ClusterSelection } from '../../../shared/contract';
import type { DraftSummary } from '../../../shared/contract/drafts';
import { useEngine } from '../api/engine';

/** Saved drafts of the selected namespace (names), refreshed on demand after saves and deploys. */
export function useDrafts(selection: ClusterSelection | null) {
  const engine = useEngine();
  const [drafts, setDrafts] = useState<DraftSummary[]>([]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!selection) return setDrafts([]);
    let live = true;
    engine.call('drafts.list', { context: selection.context, namespace: selection.namespace }).then(
      (list) => live && setDrafts(list),
      () => live && setDrafts([]),
    );
    return () => {
      live = false;
    };
  }, [engine, selection, version]);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  return { drafts, refresh };
}
