/**
 * An install's progress as the build log shows it: the package manager's own notable lines, and a
 * summary line ("resolved 12, downloaded 3, installed 12, 1.4 MB") at most every 500 ms.
 */
export interface InstallProgress {
  resolved(name: string): void;
  downloaded(name: string): void;
  installed(count: number, bytes?: number): void;
  log(line: string): void;
  /** Writes the summary now (end of a phase). */
  flush(): void;
}

export interface ProgressCounts {
  resolved: number;
  downloaded: number;
  installed: number;
  bytes: number | null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function summaryLine(c: ProgressCounts): string {
  return `Dependencies: resolved ${c.resolved}, downloaded ${c.downloaded}, installed ${c.installed}${c.bytes !== null ? `, ${formatBytes(c.bytes)}` : ''}`;
}

export function createProgress(sink: { line(text: string): void; status(text: string): void }, everyMs = 500): InstallProgress & { counts: ProgressCounts } {
  const counts: ProgressCounts = { resolved: 0, downloaded: 0, installed: 0, bytes: null };
  let last = 0;
  let pending = false;
  const emit = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < everyMs) {
      pending = true;
      return;
    }
    last = now;
    pending = false;
    const text = summaryLine(counts);
    sink.line(text);
    sink.status(text.replace(/^Dependencies: /, ''));
  };
  return {
    counts,
    resolved() {
      counts.resolved++;
      emit(false);
    },
    downloaded(name) {
      counts.downloaded++;
      sink.line(`  downloaded ${name}`);
      emit(false);
    },
    installed(count, bytes) {
      counts.installed = count;
      if (bytes !== undefined) counts.bytes = bytes;
      emit(true);
    },
    log(line) {
      sink.line(line);
    },
    flush() {
      if (pending) emit(true);
    },
  };
}
