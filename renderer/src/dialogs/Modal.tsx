import { useEffect, useRef, type ReactNode } from 'react';
import './dialogs.css';

/** A native modal <dialog>: focus stays inside, Escape closes, the page behind is inert. */
export function Modal({ title, onClose, children, wide }: { title: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // showModal focuses the first control; the dialog's chosen one (data-autofocus) wins, with its ring shown.
    const chosen = d?.querySelector<HTMLElement>('[data-autofocus]');
    if (chosen) {
      chosen.focus();
      chosen.classList.add('focus-ring');
      chosen.addEventListener('blur', () => chosen.classList.remove('focus-ring'), { once: true });
    }
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' wide' : ''}`}
      aria-labelledby="modal-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}
