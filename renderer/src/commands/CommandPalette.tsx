import { useEffect, useMemo, useState } from 'react';
import { plural } from '../../../shared/plural';
import { Modal } from '../dialogs/Modal';
import './palette.css';

export interface Command {
  id: string;
  title: string;
  shortcut?: string;
  /** Why it cannot run now; shown greyed with this hint. */
  disabledReason?: string | null;
  run(): void;
}

/** Ctrl/Cmd+Shift+P: every action by name, filtered as you type, run with Enter. */
export function CommandPalette({ commands, onClose }: { commands: Command[]; onClose(): void }) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return commands.filter((c) => words.every((w) => c.title.toLowerCase().includes(w)));
  }, [commands, query]);
  const active = Math.min(index, Math.max(0, shown.length - 1));
  // The list scrolls: keep the chosen command in view.
  const activeId = shown[active] ? `cmd-${shown[active].id}` : null;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);
  const run = (c: Command | undefined) => {
    if (!c || c.disabledReason) return;
    onClose();
    c.run();
  };
  return (
    <Modal title="Commands" onClose={onClose}>
      <input
        className="palette-input"
        autoFocus
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[active] ? `cmd-${shown[active].id}` : undefined}
        aria-label="Type a command"
        placeholder="Type a command"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setIndex((i) => Math.min(shown.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1));
          else if (e.key === 'Enter') run(shown[active]);
          else return;
          e.preventDefault();
        }}
      />
      <p className="palette-count muted">
        <span role="status">{plural(shown.length, 'command')}</span>
        {shown.length > 12 && ' · scroll, or use ↑ ↓, for more'}
      </p>
      <ul id="palette-list" role="listbox" aria-label="Commands" className="palette-list">
        {shown.map((c, i) => (
          <li
            key={c.id}
            id={`cmd-${c.id}`}
            role="option"
            aria-selected={i === active}
            aria-disabled={!!c.disabledReason}
            className={`palette-item${i === active ? ' active' : ''}`}
            onMouseEnter={() => setIndex(i)}
            onClick={() => run(c)}
          >
            <span>{c.title}</span>
            {c.disabledReason ? <span className="muted">{c.disabledReason}</span> : c.shortcut && <kbd>{c.shortcut}</kbd>}
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p className="muted palette-item">No command matches.</p>}
    </Modal>
  );
}
