import type { ReactNode } from 'react';
import { Modal } from './Modal';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  /** The action's name on its button, e.g. "Deploy and replace the rollback". */
  confirm: string;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** Asks before an action that undoes something or is likely to fail; Cancel has the focus. */
export function ConfirmDialog({ title, children, confirm, danger, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Modal title={title} onClose={onCancel}>
      {children}
      <div className="modal-actions">
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>
          {confirm}
        </button>
        <button type="button" onClick={onCancel} data-autofocus>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
