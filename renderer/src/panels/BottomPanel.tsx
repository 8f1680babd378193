import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import './panels.css';

export type PanelTab = 'invoke' | 'logs' | 'revisions' | 'metrics' | 'events' | 'deploy';
export const PANEL_TABS: Array<{ id: PanelTab; label: string }> = [
  { id: 'invoke', label: 'Invoke' },
  { id: 'logs', label: 'Logs' },
  { id: 'revisions', label: 'Revisions' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'events', label: 'Events' },
  { id: 'deploy', label: 'Deploy' },
];

export interface BottomPanelProps {
  tab: PanelTab;
  onTab(tab: PanelTab): void;
  height: number;
  onHeight(height: number): void;
  /** Only the active tab's content is rendered (panels subscribe to streams only while shown). */
  children: ReactNode;
  badges?: Partial<Record<PanelTab, string>>;
}

const MIN = 120;
const maxHeight = () => Math.max(MIN, window.innerHeight - 180);

/** Tabs for the function's tools, resizable by dragging the bar above it or with the arrow keys on it. */
export function BottomPanel({ tab, onTab, height, onHeight, children, badges }: BottomPanelProps) {
  const drag = useRef<{ y: number; h: number } | null>(null);
  const clamp = (h: number) => Math.round(Math.min(maxHeight(), Math.max(MIN, h)));

  const onKeyTabs = (e: KeyboardEvent) => {
    const i = PANEL_TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = PANEL_TABS[(next + PANEL_TABS.length) % PANEL_TABS.length]!;
    onTab(t.id);
    document.getElementById(`panel-tab-${t.id}`)?.focus();
  };

  return (
    <section className="bottom-panel" style={{ height }} aria-label="Function tools">
      <div
        className="resizer"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize the tools panel"
        aria-valuemin={MIN}
        aria-valuemax={maxHeight()}
        aria-valuenow={height}
        tabIndex={0}
        onKeyDown={(e) => {
          if (e.key === 'ArrowUp') onHeight(clamp(height + 24));
          else if (e.key === 'ArrowDown') onHeight(clamp(height - 24));
          else return;
          e.preventDefault();
        }}
        onPointerDown={(e) => {
          drag.current = { y: e.clientY, h: height };
          (e.target as HTMLElement).setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          if (drag.current) onHeight(clamp(drag.current.h + drag.current.y - e.clientY));
        }}
        onPointerUp={() => (drag.current = null)}
      />
      <div className="panel-tabs" role="tablist" aria-label="Function tools" onKeyDown={onKeyTabs}>
        {PANEL_TABS.map((t) => (
          <button
            key={t.id}
            id={`panel-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={t.id === tab}
            aria-controls="panel-body"
            tabIndex={t.id === tab ? 0 : -1}
            className="panel-tab"
            onClick={() => onTab(t.id)}
          >
            {t.label}
            {badges?.[t.id] && <span className="tab-badge">{badges[t.id]}</span>}
          </button>
        ))}
      </div>
      <div id="panel-body" className="panel-body" role="tabpanel" aria-labelledby={`panel-tab-${tab}`}>
        {children}
      </div>
    </section>
  );
}
