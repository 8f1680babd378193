import { useNow } from './useConnection';
import './reconnecting.css';

/**
 * Over the workbench while the selected cluster is briefly unreachable: what is happening and for how
 * long, counting. Only the first words are announced (politely); the counter is for the eye.
 */
export function ReconnectingBanner({ context, since }: { context: string; since: number }) {
  const now = useNow(1000);
  const seconds = Math.max(0, Math.round((now - since) / 1000));
  return (
    <div className="banner reconnect-banner">
      <p role="status" aria-live="polite" className="reconnect-status">
        Reconnecting to {context}… <span aria-hidden="true">{seconds} s</span>
      </p>
      <p className="muted reconnect-note">The cluster does not answer just now. Your editor and panels stay as they are and resume by themselves.</p>
    </div>
  );
}
