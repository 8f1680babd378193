import type { LogLine } from '../../../../shared/contract/logs';
import { stripAnsi } from './ansi';

export interface LogFilter {
  text: string;
  pod: string;
  revision: string;
  requestId: string;
}
export const NO_FILTER: LogFilter = { text: '', pod: '', revision: '', requestId: '' };

export const isUnfiltered = (f: LogFilter) => !f.text && !f.pod && !f.revision && !f.requestId;

export function lineMatcher(f: LogFilter): (l: LogLine) => boolean {
  const text = f.text.toLowerCase();
  return (l) =>
    (!f.pod || l.pod === f.pod) &&
    (!f.revision || l.revision === f.revision) &&
    (!f.requestId || l.requestId === f.requestId) &&
    (!text || stripAnsi(l.text).toLowerCase().includes(text));
}

/**
 * The lines of an append-only, front-trimmed array (the log buffer) that match a filter, kept up to
 * date by looking only at lines added since the last call: under a flood, a filter costs the new
 * lines, not the 100,000 held. Lines are told apart by their increasing `seq`.
 */
export class FilteredLines {
  private source: LogLine[] | null = null;
  private filter: LogFilter = NO_FILTER;
  private matches: LogLine[] = [];
  private lastSeq = -Infinity;

  update(source: LogLine[], filter: LogFilter): LogLine[] {
    if (isUnfiltered(filter)) return source;
    // Another array (cleared, paused, another function) or another filter: start over.
    if (source !== this.source || filter !== this.filter) {
      this.source = source;
      this.filter = filter;
      this.matches = [];
      this.lastSeq = -Infinity;
    }
    const matches = lineMatcher(filter);
    // Lines trimmed from the front of the source are dropped here too.
    const oldest = source[0]?.seq ?? Infinity;
    let drop = 0;
    while (drop < this.matches.length && this.matches[drop]!.seq < oldest) drop++;
    const added: LogLine[] = [];
    for (let i = source.length - 1; i >= 0 && source[i]!.seq > this.lastSeq; i--) if (matches(source[i]!)) added.push(source[i]!);
    this.lastSeq = source.at(-1)?.seq ?? this.lastSeq;
    if (drop === 0 && added.length === 0) return this.matches;
    // A new array each time something changed, so React sees the change.
    this.matches = this.matches.slice(drop).concat(added.reverse());
    return this.matches;
  }
}
