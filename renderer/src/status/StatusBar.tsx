import type { ReactNode } from 'react';
import type { ClusterSelection } from '../../../shared/contract';
import type { ConnectionStatus } from '../api/transport';
import './status.css';

const ENGINE_LABEL: Record<ConnectionStatus, string> = {
  open: 'Engine connected',
  connecting: 'Connecting to engine…',
  closed: 'Engine disconnected, reconnecting…',
};

export interface StatusBarProps {
  engine: ConnectionStatus;
  selection: ClusterSelection | null;
  reachable: boolean | null;
  /** Deploy progress and other short live notes. */
  children?: ReactNode;
  onOpenPalette(): void;
}

export function StatusBar({ engine, selection, reachable, children, onOpenPalette }: StatusBarProps) {
  return (
    <footer className="status-bar" aria-label="Status">
      <span className={`status-item engine-${engine}`} role="status" aria-label="Engine connection">
        <span className="status-dot" aria-hidden="true" /> {ENGINE_LABEL[engine]}
      </span>
      {/* Live regions (role status, polite): a change of context, deploy step or serving state is read out. */}
      <span className="status-item" role="status" aria-label="Current context">
        {selection ? (
          <>
            {selection.context} / {selection.namespace}
            {reachable === false && <span className="status-warn"> (unreachable)</span>}
          </>
        ) : (
          'No context selected'
        )}
      </span>
      <span className="status-item status-live" role="status" aria-label="Function state">
        {children}
      </span>
      <button type="button" className="status-button" onClick={onOpenPalette} aria-label="Open the command palette (Ctrl+Shift+P)">
        Commands <kbd>Ctrl+Shift+P</kbd>
      </button>
    </footer>
  );
}
