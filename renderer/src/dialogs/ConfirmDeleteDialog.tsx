import { useState } from 'react';
import type { FuncdeckError } from '../../../shared/contract';
import { Modal } from './Modal';

/** Deleting removes the function's objects from the cluster (every revision) and its draft. */
export function ConfirmDeleteDialog({ name, namespace, onDelete, onCancel }: { name: string; namespace: string; onDelete(): Promise<void>; onCancel(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FuncdeckError | null>(null);
  return (
    <Modal title={`Delete ${name}?`} onClose={onCancel}>
      <p>
        This removes every revision of <strong>{name}</strong> from <code>{namespace}</code> (Deployments, ConfigMaps, Service) and its local draft.
        Its stored logs and invocation history stay readable.
      </p>
      {error && (
        <p className="error-text" role="alert">
          {error.message}
        </p>
      )}
      <div className="modal-actions">
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onDelete();
            } catch (e) {
              setError(e as FuncdeckError);
              setBusy(false);
            }
          }}
        >
          {busy ? 'Deleting…' : 'Delete function'}
        </button>
        <button type="button" onClick={onCancel} data-autofocus>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
