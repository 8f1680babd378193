import { useEffect, useState } from 'react';
import { DnsLabel, type FuncdeckError, type NamespaceInfo } from '../../../shared/contract';
import { useEngine } from '../api/engine';

export interface NamespacePickerProps {
  context: string;
  namespace: string;
  reachable: boolean;
  disabled?: boolean;
  onSelect(namespace: string): void;
}

/** Namespaces of the selected context (namespaces.list), plus creating one; the selected one is kept even if listing fails. */
export function NamespacePicker({ context, namespace, reachable, disabled, onSelect }: NamespacePickerProps) {
  const engine = useEngine();
  const [namespaces, setNamespaces] = useState<NamespaceInfo[] | null>(null);
  const [error, setError] = useState<FuncdeckError | null>(null);
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!reachable) return;
    let live = true;
    setError(null);
    engine.call('namespaces.list', { context }).then(
      (list) => live && setNamespaces(list),
      (e: FuncdeckError) => live && (setError(e), setNamespaces(null)),
    );
    return () => {
      live = false;
    };
  }, [engine, context, reachable, version]);

  const create = async () => {
    const checked = DnsLabel.safeParse(newName);
    if (!checked.success) return setCreateError(`The name ${checked.error.issues[0]?.message ?? 'is not valid'}.`);
    try {
      await engine.call('namespaces.create', { name: newName, context });
      setCreating(false);
      setCreateError(null);
      setNewName('');
      setVersion((v) => v + 1);
      onSelect(checked.data);
    } catch (e) {
      setCreateError((e as FuncdeckError).message);
    }
  };

  const names = new Set((namespaces ?? []).map((n) => n.name));
  names.add(namespace);
  return (
    <section className="side-section" aria-labelledby="ns-heading">
      <div className="side-row">
        <h2 id="ns-heading" className="side-heading">
          Namespace
        </h2>
        <button type="button" className="small" onClick={() => setCreating((c) => !c)} disabled={disabled || !reachable} aria-expanded={creating}>
          New namespace
        </button>
      </div>
      <select id="ns-select" aria-labelledby="ns-heading" value={namespace} disabled={disabled} onChange={(e) => onSelect(e.target.value)} className="ns-select">
        {[...names].sort().map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      {creating && (
        <form
          className="ns-create"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <input aria-label="New namespace name" placeholder="my-namespace" value={newName} onChange={(e) => setNewName(e.target.value)} autoFocus spellCheck={false} />
          <button type="submit" className="small">
            Create
          </button>
        </form>
      )}
      {createError && (
        <p className="side-note error-text" role="alert">
          {createError}
        </p>
      )}
      {error && reachable && (
        <p className="side-note error-text" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
