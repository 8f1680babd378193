import { useCallback, useMemo, useRef, useState } from 'react';
import type { LogLine } from '../../../../shared/contract/logs';
import { stripAnsi } from './ansi';
import { plural } from '../../../../shared/plural';
import { FilteredLines, type LogFilter } from './filter-lines';
import { LogRow } from './LogRow';
import { useLogFollow } from './useLogFollow';
import { useRowWindow } from './useRowWindow';
import './logs.css';

export interface LogsPanelProps {
  fn: string;
  selectionKey: string;
  filter: LogFilter;
  onFilter(filter: LogFilter): void;
}

const ROW = 18;

/** Live logs of every pod of the function: virtualised, capped, filterable, ANSI-coloured. */
export function LogsPanel({ fn, selectionKey, filter, onFilter }: LogsPanelProps) {
  const logs = useLogFollow(fn, selectionKey);
  const [follow, setFollow] = useState(true);
  const [showTime, setShowTime] = useState(true);
  const [frozen, setFrozen] = useState<LogLine[] | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const all = frozen ?? logs.buffer.lines;
  // The buffer mutates in place; `version` is what says it changed.
  const pods = useMemo(() => [...logs.buffer.pods].sort(), [logs.buffer, logs.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const revisions = useMemo(() => [...logs.buffer.revisions].sort((a, b) => Number(a) - Number(b)), [logs.buffer, logs.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const filtered = useRef(new FilteredLines());
  const visible = useMemo(() => filtered.current.update(all, filter), [all, logs.version, filter]); // eslint-disable-line react-hooks/exhaustive-deps

  const following = follow && !frozen;
  const win = useRowWindow(scroller, visible.length, ROW, following);

  const pause = () => {
    setFollow(false);
    setFrozen(logs.buffer.lines.slice());
  };
  const resume = () => {
    setFrozen(null);
    setFollow(true);
  };

  const download = () => {
    const text = visible.map((l) => `${l.ts} ${l.pod} ${stripAnsi(l.text)}`).join('\n') + '\n';
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${fn}-logs.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const set = (patch: Partial<LogFilter>) => onFilter({ ...filter, ...patch });
  // One callback for every row, so the memoised rows are not redrawn on each batch of lines.
  const latest = useRef({ filter, onFilter });
  latest.current = { filter, onFilter };
  const onRequestId = useCallback((id: string) => latest.current.onFilter({ ...latest.current.filter, requestId: id }), []);
  const dropped = logs.buffer.dropped > 0 ? `${plural(logs.buffer.dropped, 'older line')} dropped` : null;
  // Paused, the Follow button says how many lines came since (always in view, unlike the counts).
  const newSincePause = frozen ? logs.buffer.lines.length - frozen.length : 0;
  const held = plural(logs.buffer.lines.length, 'line');
  const counts = [visible === logs.buffer.lines ? held : `${visible.length.toLocaleString()} of ${held}`, dropped].filter(Boolean);
  const waiting = logs.status?.message;
  const reconnecting = logs.status?.reconnecting || logs.status?.pods.some((p) => p.state === 'reconnecting');

  return (
    <div className="logs-panel">
      <div className="panel-toolbar" role="toolbar" aria-label="Log controls">
        {frozen ? (
          <button type="button" onClick={resume} className="primary">
            Follow{newSincePause > 0 && ` (${newSincePause.toLocaleString()} new)`}
          </button>
        ) : (
          <button type="button" onClick={pause}>
            Pause
          </button>
        )}
        <input type="search" aria-label="Filter log text" placeholder="Filter text" value={filter.text} onChange={(e) => set({ text: e.target.value })} />
        <select aria-label="Filter by pod" value={filter.pod} onChange={(e) => set({ pod: e.target.value })}>
          <option value="">All pods</option>
          {pods.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <select aria-label="Filter by revision" value={filter.revision} onChange={(e) => set({ revision: e.target.value })}>
          <option value="">All revisions</option>
          {revisions.map((r) => (
            <option key={r} value={r}>
              revision {r}
            </option>
          ))}
        </select>
        <input aria-label="Filter by request id" placeholder="Request id" value={filter.requestId} onChange={(e) => set({ requestId: e.target.value.trim() })} className="req-filter" />
        {filter.requestId && (
          <button type="button" onClick={() => set({ requestId: '' })} aria-label="Show all requests">
            ✕ request
          </button>
        )}
        <label>
          <input type="checkbox" checked={showTime} onChange={(e) => setShowTime(e.target.checked)} /> Timestamps
        </label>
        {/* The counts take the free space and shorten with an ellipsis, so a longer count never wraps the toolbar and resizes the log box. */}
        <span className="muted log-counts" role="status" aria-label="Log line counts" title={counts.join(' · ')}>
          {counts[0]}
          {dropped && <span className="log-dropped"> · {dropped}</span>}
        </span>
        <button type="button" onClick={download}>
          Download
        </button>
        <button type="button" onClick={() => (logs.clear(), setFrozen(null))}>
          Clear
        </button>
      </div>
      {(waiting || reconnecting || logs.error) && (
        <p className={`log-note ${logs.error ? 'error-text' : 'muted'}`} role="status">
          {logs.error?.message ?? (reconnecting ? 'Reconnecting to the log stream… lines resume from where they stopped.' : waiting)}
        </p>
      )}
      <div
        className="log-scroll"
        ref={scroller}
        role="log"
        aria-label={`Logs of ${fn}`}
        tabIndex={0}
        // Moving up by wheel, keys or the scrollbar stops following; reaching the end again resumes it.
        // (Only when there is somewhere to go: a box that cannot scroll has no end to come back to.)
        onWheel={(e) => {
          if (e.deltaY < 0 && following && e.currentTarget.scrollTop > 0) setFollow(false);
        }}
        onKeyDown={(e) => {
          if (following && e.currentTarget.scrollTop > 0 && ['ArrowUp', 'PageUp', 'Home'].includes(e.key)) setFollow(false);
        }}
        onPointerDown={(e) => {
          if (following && e.target === e.currentTarget && e.nativeEvent.offsetX >= e.currentTarget.clientWidth) setFollow(false);
        }}
        onScroll={(e) => {
          // Back at the end (scrollbar or keys): follow again. The end is known without asking layout.
          const el = e.currentTarget;
          if (!frozen && !follow && el.scrollTop + el.clientHeight >= win.total - ROW) setFollow(true);
        }}
      >
        <div style={{ height: win.total, position: 'relative' }}>
          {visible.slice(win.first, win.end).map((line, i) => (
            <div key={line.seq} className="log-slot" style={{ transform: `translateY(${(win.first + i) * ROW}px)` }}>
              <LogRow line={line} showTime={showTime} onRequestId={onRequestId} />
            </div>
          ))}
        </div>
        {visible.length === 0 && <p className="panel-empty">{all.length ? 'No line matches the filters.' : 'No log lines yet.'}</p>}
      </div>
    </div>
  );
}
