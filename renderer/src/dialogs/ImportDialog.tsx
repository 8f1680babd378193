import { useEffect, useState } from 'react';
import type { FuncdeckError } from '../../../shared/contract';
import { FunctionName, type FunctionSpecInput } from '../../../shared/contract/functions';
import type { ImportedFunction, ImportResult, KubelessListing } from '../../../shared/contract/interop';
import { useEngine } from '../api/engine';
import { Modal } from './Modal';
import './interop.css';

type Source = 'file' | 'paste' | 'cluster';

export interface ImportDialogProps {
  namespace: string;
  existing: string[];
  /** Saves the spec as a new draft and opens it (nothing is deployed). */
  onOpen(spec: FunctionSpecInput): Promise<void>;
  onClose(): void;
}

/** Import kubeless Functions from a YAML file, pasted text or (where it has kubeless's CRDs) the cluster, each into a new draft. */
export function ImportDialog({ namespace, existing, onOpen, onClose }: ImportDialogProps) {
  const engine = useEngine();
  const [source, setSource] = useState<Source>('file');
  const [text, setText] = useState('');
  const [listing, setListing] = useState<KubelessListing | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    engine.call('interop.kubeless.list', {}).then(setListing, () => setListing(null));
  }, [engine]);

  const run = async (call: () => Promise<ImportResult>) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await call());
    } catch (e) {
      setResult(null);
      setError((e as FuncdeckError).message);
    } finally {
      setBusy(false);
    }
  };
  const importText = (t: string) => run(() => engine.call('interop.import', { text: t }));

  return (
    <Modal title="Import kubeless functions" onClose={onClose} wide>
      <fieldset className="choice-group import-sources">
        <legend>From</legend>
        <label className="choice">
          <input type="radio" name="import-source" checked={source === 'file'} onChange={() => setSource('file')} />A YAML file
        </label>
        <label className="choice">
          <input type="radio" name="import-source" checked={source === 'paste'} onChange={() => setSource('paste')} />
          Pasted YAML
        </label>
        {listing?.available && (
          <label className="choice">
            <input type="radio" name="import-source" checked={source === 'cluster'} onChange={() => setSource('cluster')} />
            kubeless in namespace {listing.namespace}
          </label>
        )}
      </fieldset>
      {listing && !listing.available && <p className="muted hint">{listing.reason}</p>}

      {source === 'file' && (
        <div className="import-input">
          <label htmlFor="import-file" className="field-label">
            YAML file with kubeless Functions (and their triggers)
          </label>
          <input
            id="import-file"
            type="file"
            accept=".yaml,.yml,.json,text/yaml,application/json"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (file) await importText(await file.text());
            }}
          />
        </div>
      )}
      {source === 'paste' && (
        <div className="import-input">
          <label htmlFor="import-text" className="field-label">
            kubeless YAML (one or more documents)
          </label>
          <textarea id="import-text" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder={'apiVersion: kubeless.io/v1beta1\nkind: Function\n...'} />
          <div className="modal-actions">
            <button type="button" className="primary" disabled={busy || !text.trim()} onClick={() => void importText(text)}>
              Read
            </button>
          </div>
        </div>
      )}
      {source === 'cluster' && listing?.available && (
        <div className="import-input">
          {listing.functions.length === 0 && <p className="muted">No kubeless Functions in {listing.namespace}.</p>}
          <ul className="import-cluster-list" aria-label="kubeless Functions in the cluster">
            {listing.functions.map((f) => (
              <li key={f.name}>
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={chosen.has(f.name)}
                    onChange={(e) => setChosen((c) => (e.target.checked ? new Set([...c, f.name]) : new Set([...c].filter((n) => n !== f.name))))}
                  />
                  <span>
                    <strong>{f.name}</strong> <span className="muted">{f.runtime} · {f.handler}{f.triggers.length ? ` · ${f.triggers.join(', ')}` : ''}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <div className="modal-actions">
            <button type="button" className="primary" disabled={busy || chosen.size === 0} onClick={() => void run(() => engine.call('interop.kubeless.import', { names: [...chosen] }))}>
              Import selected
            </button>
          </div>
        </div>
      )}

      {busy && <p className="muted">Reading…</p>}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {result && <ImportResults result={result} namespace={namespace} existing={existing} onOpen={onOpen} />}
      <div className="modal-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}

function ImportResults({ result, namespace, existing, onOpen }: { result: ImportResult; namespace: string; existing: string[]; onOpen(spec: FunctionSpecInput): Promise<void> }) {
  return (
    <section className="import-results" aria-label="Import results">
      {result.functions.length === 0 && <p className="muted">No kubeless Function was found in it.</p>}
      {result.functions.map((f, i) => (
        <ImportedCard key={`${f.source.name}-${i}`} f={f} namespace={namespace} existing={existing} onOpen={onOpen} />
      ))}
      {result.notCarried.length > 0 && (
        <>
          <h3 className="sub-legend">Also in it, not carried</h3>
          <ul className="not-carried">
            {result.notCarried.map((n, i) => (
              <li key={i}>
                <strong>{n.what}</strong>: {n.why}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ImportedCard({ f, namespace, existing, onOpen }: { f: ImportedFunction; namespace: string; existing: string[]; onOpen(spec: FunctionSpecInput): Promise<void> }) {
  const spec = f.spec as FunctionSpecInput | null;
  const [name, setName] = useState(spec?.name ?? '');
  const [state, setState] = useState<'idle' | 'opening' | 'opened'>('idle');
  const [error, setError] = useState<string | null>(null);
  const check = FunctionName.safeParse(name);
  const nameError = !check.success ? check.error.issues[0]?.message : existing.includes(name) && state !== 'opened' ? `"${name}" already exists in ${namespace}; give the import another name.` : null;
  const id = `import-name-${f.source.name}`;
  return (
    <article className="import-card" aria-label={`Imported ${f.source.name}`}>
      <h3>
        {f.source.name} <span className="muted">({f.source.runtime || 'no runtime'}{spec ? ` → ${spec.runtime}` : ''})</span>
      </h3>
      {spec ? (
        <div className="form-row">
          <label htmlFor={id}>Draft name</label>
          <input id={id} value={name} spellCheck={false} aria-invalid={!!nameError} onChange={(e) => setName(e.target.value)} />
          {nameError && <span className="field-error">{nameError}</span>}
        </div>
      ) : (
        <p className="error-text">It cannot be imported.</p>
      )}
      {f.issues.length > 0 && (
        <>
          <h4 className="sub-legend">To fix in the draft before deploying</h4>
          <ul className="issue-list">
            {f.issues.map((i, k) => (
              <li key={k}>{i.path ? `${i.path}: ${i.message}` : i.message}</li>
            ))}
          </ul>
        </>
      )}
      {f.warnings.length > 0 && (
        <>
          <h4 className="sub-legend">Carried, worth a look</h4>
          <ul className="note-list">
            {f.warnings.map((w, k) => (
              <li key={k}>{w}</li>
            ))}
          </ul>
        </>
      )}
      {f.notCarried.length > 0 && (
        <>
          <h4 className="sub-legend">Not carried</h4>
          <ul className="not-carried">
            {f.notCarried.map((n, k) => (
              <li key={k}>
                <strong>{n.what}</strong>: {n.why}
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {spec && (
        <div className="modal-actions">
          <button
            type="button"
            className="primary"
            aria-label={state === 'opened' ? `${name} opened as a draft` : `Open ${name || f.source.name} as a draft`}
            disabled={!!nameError || state !== 'idle'}
            onClick={async () => {
              setState('opening');
              try {
                await onOpen({ ...spec, name });
                setState('opened');
              } catch (e) {
                setError((e as FuncdeckError).message);
                setState('idle');
              }
            }}
          >
            {state === 'opened' ? 'Opened as a draft' : state === 'opening' ? 'Opening…' : 'Open as draft'}
          </button>
        </div>
      )}
    </article>
  );
}
