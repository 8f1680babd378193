import { useEffect, useState } from 'react';
import type { RevisionInfo } from '../../../shared/contract';
import { useEngine } from '../api/engine';

/** What the palette lists beyond fixed commands, read when it opens: the context's namespaces and the open function's revisions. */
export function usePaletteData(open: boolean, context: string | null, fn: string | null): { namespaces: string[]; revisions: RevisionInfo[] } {
  const engine = useEngine();
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const [revisions, setRevisions] = useState<RevisionInfo[]>([]);
  useEffect(() => {
    if (!open || !context) return;
    let live = true;
    engine.call('namespaces.list', { context }).then(
      (list) => live && setNamespaces(list.map((n) => n.name).sort()),
      () => undefined, // unreachable: the palette lists the current namespace only
    );
    if (fn) {
      engine.call('revisions.list', { name: fn }).then(
        (snap) => live && setRevisions(snap.name === fn ? snap.revisions : []),
        () => live && setRevisions([]),
      );
    } else setRevisions([]);
    return () => {
      live = false;
    };
  }, [engine, open, context, fn]);
  return { namespaces, revisions };
}
