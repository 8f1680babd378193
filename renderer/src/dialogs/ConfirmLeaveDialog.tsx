import { Modal } from './Modal';

export interface ConfirmLeaveDialogProps {
  name: string;
  onSave(): void;
  onDiscard(): void;
  onCancel(): void;
}

/** Asked before leaving a function with unsaved edits (opening another, switching cluster). */
export function ConfirmLeaveDialog({ name, onSave, onDiscard, onCancel }: ConfirmLeaveDialogProps) {
  return (
    <Modal title="Unsaved changes" onClose={onCancel}>
      <p>
        <strong>{name}</strong> has changes that are not saved. Save them as a draft (kept across restarts and cluster switches), or
        discard them?
      </p>
      <div className="modal-actions">
        <button type="button" className="primary" onClick={onSave} data-autofocus>
          Save draft
        </button>
        <button type="button" onClick={onDiscard}>
          Discard changes
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
