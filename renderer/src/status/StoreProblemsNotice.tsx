import { useEffect, useState } from 'react';
import type { StoreProblem } from '../../../shared/contract/app';
import { plural } from '../../../shared/plural';
import { useEngine } from '../api/engine';

/**
 * Damaged local files the engine found and kept aside (app.info's storeProblems): said once, at the
 * start, until dismissed. The files are never silently reset, so the user can look at them.
 */
export function StoreProblemsNotice() {
  const engine = useEngine();
  const [problems, setProblems] = useState<StoreProblem[]>([]);
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    let live = true;
    engine.call('app.info', {}).then(
      (info) => live && setProblems(info.storeProblems ?? []),
      () => undefined, // the app works without it; the engine's log has the same lines
    );
    return () => {
      live = false;
    };
  }, [engine]);
  if (dismissed || problems.length === 0) return null;
  return (
    <section className="store-problems" role="alert" aria-labelledby="store-problems-title">
      <h2 id="store-problems-title" className="store-problems-title">
        {problems.length === 1 ? 'A damaged local file was kept aside' : `${plural(problems.length, 'damaged local file was', 'damaged local files were')} kept aside`}
      </h2>
      <ul className="store-problems-list">
        {problems.map((p) => (
          <li key={`${p.file}\0${p.at}`}>{p.problem}</li>
        ))}
      </ul>
      <button type="button" onClick={() => setDismissed(true)}>
        Dismiss
      </button>
    </section>
  );
}
