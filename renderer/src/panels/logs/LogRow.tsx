import { memo } from 'react';
import type { LogLine } from '../../../../shared/contract/logs';
import { clockTime } from '../../format/time';
import { LINK, parseAnsi, type AnsiSegment } from './ansi';

function styleOf(s: AnsiSegment) {
  if (!s.fg && !s.bg && !s.bold && !s.italic && !s.underline && !s.dim) return undefined;
  return {
    color: s.fg,
    background: s.bg,
    fontWeight: s.bold ? 700 : undefined,
    fontStyle: s.italic ? 'italic' : undefined,
    textDecoration: s.underline ? 'underline' : undefined,
    opacity: s.dim ? 0.7 : undefined,
  } as const;
}

/** Text with http(s)/mailto links made clickable; everything else is plain text. */
function Linked({ text }: { text: string }) {
  const parts: Array<string | { href: string }> = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    if (m.index! > last) parts.push(text.slice(last, m.index));
    parts.push({ href: m[0] });
    last = m.index! + m[0].length;
  }
  if (parts.length === 0) return <>{text}</>;
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">
            {p.href}
          </a>
        ),
      )}
    </>
  );
}

export const LogRow = memo(function LogRow({ line, showTime, onRequestId }: { line: LogLine; showTime: boolean; onRequestId(id: string): void }) {
  const segments = parseAnsi(line.text);
  return (
    <div className="log-row">
      {showTime && <span className="log-ts">{clockTime(line.ts, { ms: true })}</span>}
      <span className="log-pod" title={`${line.pod}${line.revision ? ` (revision ${line.revision})` : ''}`}>
        {line.revision ? `r${line.revision}` : ''} {line.pod.slice(-5)}
      </span>
      {line.requestId && (
        <button type="button" className="log-req" onClick={() => onRequestId(line.requestId!)} aria-label={`Only request ${line.requestId}`}>
          {line.requestId.slice(0, 8)}
        </button>
      )}
      <span className="log-text">
        {segments.map((s, i) => (
          <span key={i} style={styleOf(s)}>
            <Linked text={s.text} />
          </span>
        ))}
      </span>
    </div>
  );
});
