import type { ReactNode } from 'react';
import './sidebar.css';

/** The left column: brand, then the pickers and the function list passed in as children. */
export function Sidebar({ children, onSettings }: { children: ReactNode; onSettings(): void }) {
  return (
    <nav className="sidebar" aria-label="Clusters and functions">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          λ
        </span>
        <span className="brand-name">Funcdeck</span>
        <button type="button" className="icon-button" onClick={onSettings} aria-label="Settings" title="Settings">
          ⚙
        </button>
      </div>
      {children}
    </nav>
  );
}
