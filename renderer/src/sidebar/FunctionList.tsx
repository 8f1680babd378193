import { useMemo, useState } from 'react';
import type { FuncdeckError } from '../../../shared/contract';
import type { FunctionSummary } from '../../../shared/contract/functions';
import { STATUS_LABEL } from '../functions/status';

export interface FunctionListProps {
  functions: FunctionSummary[] | null;
  /** Names with a saved draft that are not deployed yet. */
  draftOnly: string[];
  /** Names whose draft differs from what is deployed. */
  withDraft: Set<string>;
  error: FuncdeckError | null;
  /** Why the cluster's functions are not listed (e.g. unreachable); drafts still show. */
  unavailable?: string | null;
  open: string | null;
  disabled?: boolean;
  onOpen(name: string): void;
  onNew(): void;
  onImport?(): void;
}

/** Functions of the namespace with status and replicas, plus undeployed drafts; filtered by a search box. */
export function FunctionList({ functions, draftOnly, withDraft, error, unavailable, open, disabled, onOpen, onNew, onImport }: FunctionListProps) {
  const [query, setQuery] = useState('');
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const deployed = (functions ?? []).map((f) => ({ name: f.name, summary: f as FunctionSummary | null }));
    const drafts = draftOnly.filter((n) => !deployed.some((d) => d.name === n)).map((name) => ({ name, summary: null }));
    return [...deployed, ...drafts].filter((r) => !q || r.name.includes(q)).sort((a, b) => a.name.localeCompare(b.name));
  }, [functions, draftOnly, query]);

  return (
    <section className="side-section side-functions" aria-labelledby="fn-heading">
      <div className="side-row">
        <h2 id="fn-heading" className="side-heading">
          Functions
        </h2>
        <span className="side-actions">
          <button type="button" className="primary small" onClick={onNew} disabled={disabled}>
            New function
          </button>
          {onImport && (
            <button type="button" className="small" onClick={onImport} disabled={disabled} aria-label="Import kubeless functions" title="Import kubeless functions">
              Import…
            </button>
          )}
        </span>
      </div>
      <input
        type="search"
        className="fn-search"
        placeholder="Search functions"
        aria-label="Search functions"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {error && (
        <p className="side-note error-text" role="alert">
          {error.message}
        </p>
      )}
      {unavailable && <p className="side-note muted">{unavailable}</p>}
      {!error && !unavailable && functions === null && !disabled && <p className="side-note muted">Loading functions…</p>}
      {!unavailable && functions !== null && rows.length === 0 && (
        <p className="side-note muted">{query ? 'No function matches.' : 'No functions in this namespace yet.'}</p>
      )}
      <ul className="fn-list" aria-label="Functions">
        {rows.map((r) => (
          <li key={r.name}>
            <button
              type="button"
              className={`fn-item${r.name === open ? ' selected' : ''}`}
              aria-current={r.name === open ? 'true' : undefined}
              onClick={() => onOpen(r.name)}
              title={r.summary ? [r.summary.headline, r.summary.reason].filter(Boolean).join('. ') : undefined}
            >
              <span className="fn-name">
                {r.name}
                {(withDraft.has(r.name) || !r.summary) && <span className="fn-draft"> draft</span>}
              </span>
              {r.summary ? (
                <span className="fn-meta">
                  <span className={`status status-${r.summary.status}`}>{STATUS_LABEL[r.summary.status]}</span>
                  <span className="replicas" title="ready / desired pods">
                    {r.summary.replicas.ready}/{r.summary.replicas.desired}
                  </span>
                </span>
              ) : (
                <span className="fn-meta muted">not deployed</span>
              )}
              {r.summary && <span className="fn-headline">{r.summary.headline}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
