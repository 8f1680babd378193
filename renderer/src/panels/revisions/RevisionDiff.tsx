import { useEffect, useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import type { RevisionSettings, RevisionSource } from '../../../../shared/contract/revisions';
import { useEngine } from '../../api/engine';
import { DiffEditor } from '../../editor/LazyEditors';
import { DEPENDENCY_FILE, monacoLanguageFor } from '../../workspace/spec-helpers';
import { settingsDocument } from './describe';

/** The pseudo-file that holds a revision's image and settings, so a change of image alone shows in the diff. */
export const SETTINGS_FILE = 'Image and settings';

export interface RevisionDiffProps {
  fn: string;
  a: number;
  b: number;
  /** Image and settings of each revision, from the revisions model (by number). */
  settings: Record<number, RevisionSettings | null>;
  theme: 'dark' | 'light';
}

/** Monaco diff of one file, or of the image and settings, between two revisions (older on the left). */
export function RevisionDiff({ fn, a, b, settings, theme }: RevisionDiffProps) {
  const engine = useEngine();
  const [sources, setSources] = useState<[RevisionSource, RevisionSource] | null>(null);
  const [error, setError] = useState<FuncdeckError | null>(null);
  const [file, setFile] = useState<string>('');
  const [older, newer] = a < b ? [a, b] : [b, a];

  useEffect(() => {
    let live = true;
    setSources(null);
    setError(null);
    setFile('');
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
  const files = [...new Set([...sources[0].files.map((f) => f.path), ...sources[1].files.map((f) => f.path), depFile, SETTINGS_FILE])];
  const textOf = (s: RevisionSource, path: string) => {
    if (path === depFile) return s.dependencies;
    if (path === SETTINGS_FILE) {
      const known = settings[s.revision];
      return known ? settingsDocument(known) : `image: ${s.image}\n`;
    }
    return s.files.find((f) => f.path === path)?.content ?? '';
  };
  const differs = (path: string) => textOf(sources[0], path) !== textOf(sources[1], path);
  // Open on what changed: the first file that differs (the image and settings when only they do).
  const current = files.includes(file) ? file : (files.find(differs) ?? files[0]!);
  const what = current === SETTINGS_FILE ? 'the image and settings' : current;
  return (
    <section className="rev-diff" aria-label={`Compare revisions ${older} and ${newer}`}>
      <div className="panel-toolbar">
        <span>
          Revision {older} → {newer}
        </span>
        <label>
          File
          <select aria-label="File to compare" value={current} onChange={(e) => setFile(e.target.value)}>
            {files.map((f) => (
              <option key={f} value={f}>
                {f}
                {differs(f) ? ' (changed)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="rev-diff-body">
        <DiffEditor
          key={`${older}-${newer}-${current}`}
          original={textOf(sources[0], current)}
          modified={textOf(sources[1], current)}
          language={current === SETTINGS_FILE ? 'yaml' : monacoLanguageFor(current)}
          theme={theme}
          label={`Changes in ${what} from revision ${older} to ${newer}`}
          originalLabel={`${what} in revision ${older} (older)`}
          modifiedLabel={`${what} in revision ${newer} (newer)`}
        />
      </div>
    </section>
  );
}
