import { useEffect, useState } from 'react';
import type { FuncdeckError, NamespaceInfo } from '../../../shared/contract';
import { useEngine } from '../api/engine';

export interface NamespacePickerProps {
  context: string;
  namespace: string;
  reachable: boolean;
  disabled?: boolean;
  onSelect(namespace: string): void;
}

/** Namespaces of the selected context (namespaces.list); the selected one is kept even if listing fails. */
export function NamespacePicker({ context, namespace, reachable, disabled, onSelect }: NamespacePickerProps) {
  const engine = useEngine();
  const [namespaces, setNamespaces] = useState<NamespaceInfo[] | null>(null);
  const [error, setError] = useState<FuncdeckError | null>(null);

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
  }, [engine, context, reachable]);

  const names = new Set((namespaces ?? []).map((n) => n.name));
  names.add(namespace);
  return (
    <section className="side-section" aria-labelledby="ns-heading">
      <label id="ns-heading" className="side-heading" htmlFor="ns-select">
        Namespace
      </label>
      <select id="ns-select" value={namespace} disabled={disabled} onChange={(e) => onSelect(e.target.value)} className="ns-select">
        {[...names].sort().map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      {error && reachable && (
        <p className="side-note error-text" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
