import { useEffect, useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { RevisionSource } from '../../../../shared/contract/revisions';
import { useEngine } from '../../api/engine';
import { DiffEditor } from '../../editor/LazyEditors';
import { DEPENDENCY_FILE, monacoLanguageFor } from '../../workspace/spec-helpers';

/** Monaco diff of one file between two revisions (older on the left). */
export function RevisionDiff({ fn, a, b, theme }: { fn: string; a: number; b: number; theme: 'dark' | 'light' }) {
  const engine = useEngine();
  const [sources, setSources] = useState<[RevisionSource, RevisionSource] | null>(null);
  const [error, setError] = useState<FuncdeckError | null>(null);
  const [file, setFile] = useState<string>('');
  const [older, newer] = a < b ? [a, b] : [b, a];

  useEffect(() => {
    let live = true;
    setSources(null);
    setError(null);
    Promise.all([engine.call('revisions.source', { name: fn, revision: older }), engine.call('revisions.source', { name: fn, revision: newer })]).then(
      (pair) => live && setSources(pair),
      (e: FuncdeckError) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [engine, fn, older, newer]);

  if (error) return <p className="panel-empty error-text">{error.message}</p>;
  if (!sources) return <p className="panel-empty">Loading revisions {older} and {newer}…</p>;
  const depFile = DEPENDENCY_FILE[sources[1].spec.runtime];
  const files = [...new Set([...sources[0].files.map((f) => f.path), ...sources[1].files.map((f) => f.path), depFile, 'spec.json'])];
  const current = files.includes(file) ? file : files[0]!;
  const textOf = (s: RevisionSource) => {
    if (current === depFile) return s.dependencies;
    if (current === 'spec.json') return JSON.stringify({ ...s.spec, files: undefined, dependencies: undefined }, null, 2);
    return s.files.find((f) => f.path === current)?.content ?? '';
  };
  return (
    <div className="rev-diff">
      <div className="panel-toolbar">
        <span>
          Revision {older} → {newer}
        </span>
        <label>
          File
          <select aria-label="File to compare" value={current} onChange={(e) => setFile(e.target.value)}>
            {files.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="rev-diff-body">
        <DiffEditor
          original={textOf(sources[0])}
          modified={textOf(sources[1])}
          language={monacoLanguageFor(current)}
          theme={theme}
          label={`Changes in ${current} from revision ${older} to ${newer}`}
        />
      </div>
    </div>
  );
}
