import { useEffect, useState } from 'react';
import type { ClusterSelection } from '../../../shared/contract';
import type { FunctionTemplate } from '../../../shared/contract/functions';
import { useEngine } from '../api/engine';
import { clockTime } from '../format/time';
import { LANGUAGE_LABEL } from '../workspace/spec-helpers';
import type { KeptPlace } from '../app/useKeptPlace';
import './start.css';

const RUNTIME_LABEL = { nodejs: 'Node.js', python: 'Python' } as const;

export interface StartPageProps {
  selection: ClusterSelection | null;
  /** The selected cluster's reachability in words ("reachable, v1.36.0"). */
  reachability: string | null;
  recent: KeptPlace['recent'];
  canCreate: boolean;
  onTemplate(t: FunctionTemplate): void;
  onOpen(name: string): void;
}

/** What the editor area shows with no function open: start from a template, reopen a recent function, and where you are. */
export function StartPage({ selection, reachability, recent, canCreate, onTemplate, onOpen }: StartPageProps) {
  const engine = useEngine();
  const [templates, setTemplates] = useState<FunctionTemplate[] | null>(null);
  useEffect(() => {
    let live = true;
    engine.call('functions.templates', {}).then((t) => live && setTemplates(t), () => live && setTemplates([]));
    return () => {
      live = false;
    };
  }, [engine]);
  const here = recent.filter((r) => r.namespace === selection?.namespace);
  const languagesOf = (runtime: FunctionTemplate['runtime']) => new Set((templates ?? []).filter((t) => t.runtime === runtime).map((t) => t.language)).size;
  const nameOf = (t: FunctionTemplate) => `${RUNTIME_LABEL[t.runtime]}${languagesOf(t.runtime) > 1 ? ` (${LANGUAGE_LABEL[t.language]})` : ''}`;

  return (
    <div className="start-page">
      <h1 className="start-title">Start</h1>
      <section className="start-section" aria-labelledby="start-create">
        <h2 id="start-create">Create a function from a template</h2>
        {templates === null && <p className="muted">Loading templates…</p>}
        {!canCreate && <p className="muted">Pick a context in the sidebar first.</p>}
        <ul className="start-templates">
          {(templates ?? []).map((t) => (
            <li key={t.id}>
              <button type="button" className="start-card" disabled={!canCreate} aria-label={`Create a ${nameOf(t)} function from ${t.title}`} onClick={() => onTemplate(t)}>
                <strong>{t.title}</strong>
                <span className="start-card-runtime">{nameOf(t)}</span>
                <span className="muted">{t.description}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <div className="start-columns">
        <section className="start-section" aria-labelledby="start-recent">
          <h2 id="start-recent">Recent functions</h2>
          {here.length === 0 ? (
            <p className="muted">No function opened here yet.</p>
          ) : (
            <ul className="start-recent">
              {here.map((r) => (
                <li key={r.name}>
                  <button type="button" className="link" onClick={() => onOpen(r.name)}>
                    {r.name}
                  </button>{' '}
                  <span className="muted">
                    opened <time dateTime={r.openedAt}>{clockTime(r.openedAt)}</time>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="start-section" aria-labelledby="start-cluster">
          <h2 id="start-cluster">Cluster</h2>
          {selection ? (
            <dl className="start-cluster">
              <dt>Context</dt>
              <dd>{selection.context}</dd>
              <dt>Namespace</dt>
              <dd>{selection.namespace}</dd>
              {reachability && (
                <>
                  <dt>Reachability</dt>
                  <dd>{reachability}</dd>
                </>
              )}
            </dl>
          ) : (
            <p className="muted">No context selected.</p>
          )}
        </section>
      </div>
    </div>
  );
}
