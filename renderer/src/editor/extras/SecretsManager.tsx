import { useState } from 'react';
import type { FuncdeckError } from '../../../../shared/contract';
import { DataKey, ObjectName } from '../../../../shared/contract/function-extras';
import type { SecretInfo } from '../../../../shared/contract/secrets';
import { useEngine } from '../../api/engine';

interface Row {
  key: string;
  /** The new value typed here; null keeps the Secret's current value (never fetched unless revealed). */
  value: string | null;
  existing: boolean;
  shown: boolean;
}

/**
 * The function's own Secrets: created and edited here, values masked until revealed, sent only to
 * the engine on save. Values live in this component's state only (never the spec or a draft); the
 * spec refers to a Secret by name through "Use as variables" / "Mount as files".
 */
export function SecretsManager({
  fn,
  secrets,
  unavailable,
  onChanged,
  onUse,
}: {
  fn: string;
  secrets: SecretInfo[];
  unavailable: string | null;
  onChanged(): void;
  onUse(name: string, how: 'env' | 'files'): void;
}) {
  const engine = useEngine();
  const [editing, setEditing] = useState<{ name: string; isNew: boolean; rows: Row[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ours = secrets.filter((s) => s.ours);

  const open = (s: SecretInfo | null) => {
    setError(null);
    setEditing(s ? { name: s.name, isNew: false, rows: s.keys.map((key) => ({ key, value: null, existing: true, shown: false })) } : { name: `${fn}-secrets`, isNew: true, rows: [{ key: '', value: '', existing: false, shown: false }] });
  };
  const setRow = (i: number, patch: Partial<Row>) => setEditing((e) => e && { ...e, rows: e.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

  const reveal = async (i: number) => {
    if (!editing) return;
    const row = editing.rows[i]!;
    if (row.shown) return setRow(i, { shown: false });
    if (row.value !== null) return setRow(i, { shown: true });
    try {
      const got = await engine.call('secrets.reveal', { function: fn, secret: editing.name, key: row.key });
      setRow(i, { value: got.value, shown: true });
    } catch (e) {
      setError((e as FuncdeckError).message);
    }
  };

  const save = async () => {
    if (!editing) return;
    const nameCheck = ObjectName.safeParse(editing.name);
    const keyProblem = editing.rows.map((r) => DataKey.safeParse(r.key)).find((r) => !r.success);
    if (!nameCheck.success) return setError(`Secret name: ${nameCheck.error.issues[0]?.message}`);
    if (keyProblem && !keyProblem.success) return setError(`Key: ${keyProblem.error.issues[0]?.message}`);
    const missing = editing.rows.find((r) => !r.existing && r.value === null);
    if (missing) return setError(`Give "${missing.key}" a value.`);
    setBusy(true);
    try {
      await engine.call('secrets.save', { function: fn, secret: editing.name, entries: editing.rows.map((r) => (r.value === null ? { key: r.key } : { key: r.key, value: r.value })) });
      setEditing(null); // the values typed here are dropped with it
      onChanged();
    } catch (e) {
      setError((e as FuncdeckError).message);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (name: string) => {
    setBusy(true);
    try {
      await engine.call('secrets.delete', { function: fn, secret: name });
      setEditing(null);
      onChanged();
    } catch (e) {
      setError((e as FuncdeckError).message);
    } finally {
      setBusy(false);
    }
  };

  if (unavailable) return <p className="muted">{unavailable}</p>;
  return (
    <div className="secrets-manager">
      <p className="muted hint">Values are kept only in the cluster: never in drafts, revisions, history or logs.</p>
      {ours.length === 0 && !editing && <p className="muted">This function has no Secrets yet.</p>}
      <ul className="secret-list" aria-label="Secrets of this function">
        {ours.map((s) => (
          <li key={s.name}>
            <span className="secret-name">{s.name}</span>
            <span className="muted"> {s.keys.length ? s.keys.join(', ') : 'no keys'}</span>
            <span className="grow" />
            <button type="button" onClick={() => open(s)} aria-label={`Edit Secret ${s.name}`}>
              Edit
            </button>
            <button type="button" onClick={() => onUse(s.name, 'env')} aria-label={`Use Secret ${s.name} as variables`}>
              Use as variables
            </button>
            <button type="button" onClick={() => onUse(s.name, 'files')} aria-label={`Mount Secret ${s.name} as files`}>
              Mount as files
            </button>
          </li>
        ))}
      </ul>
      {editing ? (
        <section className="secret-editor" aria-label={editing.isNew ? 'New Secret' : `Secret ${editing.name}`}>
          <div className="form-row">
            <label htmlFor="secret-name">Secret name</label>
            <input id="secret-name" value={editing.name} readOnly={!editing.isNew} spellCheck={false} onChange={(e) => setEditing({ ...editing, name: e.target.value })} />
          </div>
          {editing.rows.map((r, i) => (
            <div key={i} className="secret-row">
              <input aria-label={`Secret key ${i + 1}`} value={r.key} readOnly={r.existing} placeholder="password" spellCheck={false} onChange={(e) => setRow(i, { key: e.target.value })} />
              <input
                aria-label={`Value of ${r.key || `key ${i + 1}`}`}
                type={r.shown ? 'text' : 'password'}
                autoComplete="new-password"
                spellCheck={false}
                value={r.value ?? ''}
                placeholder={r.existing && r.value === null ? '•••••• (unchanged)' : 'value'}
                onChange={(e) => setRow(i, { value: e.target.value })}
              />
              <button type="button" aria-pressed={r.shown} aria-label={`${r.shown ? 'Hide' : 'Reveal'} value of ${r.key || `key ${i + 1}`}`} onClick={() => void reveal(i)} disabled={!r.existing && r.value === null}>
                {r.shown ? 'Hide' : 'Reveal'}
              </button>
              <button type="button" aria-label={`Remove key ${r.key || i + 1}`} onClick={() => setEditing({ ...editing, rows: editing.rows.filter((_, j) => j !== i) })}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setEditing({ ...editing, rows: [...editing.rows, { key: '', value: '', existing: false, shown: false }] })}>
            Add key
          </button>
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
          <div className="screen-actions">
            <button type="button" className="primary" onClick={() => void save()} disabled={busy}>
              {busy ? 'Saving…' : 'Save Secret'}
            </button>
            <button type="button" onClick={() => setEditing(null)} disabled={busy}>
              Cancel
            </button>
            {!editing.isNew && (
              <button type="button" onClick={() => void remove(editing.name)} disabled={busy}>
                Delete Secret
              </button>
            )}
          </div>
        </section>
      ) : (
        <>
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
          <button type="button" onClick={() => open(null)}>
            New Secret
          </button>
        </>
      )}
    </div>
  );
}
