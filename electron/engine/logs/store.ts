import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogLine, LogsQueryResult } from '../../../shared/contract/logs';
import { endsMidLine } from '../store/line-files';
import { keyOfSecond, secondsBefore, type RawLine } from './line';

export interface LogStoreOptions {
  /** A segment file is closed and a new one started past this size. */
  segmentBytes?: number;
  /** Oldest segments are deleted beyond this many (segmentBytes × maxSegments bounds the disk use). */
  maxSegments?: number;
  /** Above this many bytes waiting to be written, `busy` turns true (callers pause their input). */
  highWaterBytes?: number;
}

export interface LogQuery {
  text?: string;
  pod?: string;
  revision?: string;
  requestId?: string;
  beforeSeq?: number;
  limit: number;
}

const SEGMENT = /^(\d{8})\.ndjson$/;

/**
 * One function's lines on disk: NDJSON segments in its own folder, appended in the order the
 * follower merged them, each line with an increasing `seq`. Writes are queued and coalesced
 * (one write per batch); nothing is dropped here, input is paused instead (see `busy`).
 */
export class LogStore {
  private readonly segmentBytes: number;
  private readonly maxSegments: number;
  private readonly highWater: number;
  private segments: number[] = [];
  private segBytes = 0;
  private nextSeq = 1;
  private pending: string[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> | null = null;
  /** False until the current segment is known to end with a newline (after a crash it may not). */
  private tailChecked = false;
  private drainWaiters: Array<() => void> = [];
  private opened: Promise<void> | null = null;
  /** The last write failure (disk full, permissions), for the follow status. */
  lastError: string | null = null;

  constructor(
    readonly dir: string,
    opts: LogStoreOptions = {},
  ) {
    this.segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024;
    this.maxSegments = opts.maxSegments ?? 8;
    this.highWater = opts.highWaterBytes ?? 4 * 1024 * 1024;
  }

  open(): Promise<void> {
    this.opened ??= this.load();
    return this.opened;
  }

  private async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    this.segments = await this.listSegments();
    const newest = this.segments.at(-1);
    if (newest === undefined) return;
    this.segBytes = (await fs.stat(this.fileOf(newest))).size;
    // Numbering continues after the newest whole line (a segment may end in a line cut by a crash).
    for (const n of [...this.segments].reverse()) {
      const seq = await lastSeqIn(this.fileOf(n));
      if (seq !== null) {
        this.nextSeq = seq + 1;
        break;
      }
    }
  }

  private async listSegments(): Promise<number[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return names
      .map((n) => SEGMENT.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  private fileOf(n: number): string {
    return path.join(this.dir, `${String(n).padStart(8, '0')}.ndjson`);
  }

  /** True while more than the high-water mark waits to be written. */
  get busy(): boolean {
    return this.pendingBytes > this.highWater;
  }

  /** Resolves once `busy` is false again. */
  whenReady(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Gives each line its seq and queues it for writing; returns the numbered lines. Call after open(). */
  append(lines: Array<Omit<LogLine, 'seq'>>): LogLine[] {
    if (lines.length === 0) return [];
    const out: LogLine[] = new Array(lines.length);
    let chunk = '';
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      const numbered: LogLine = { ts: l.ts, pod: l.pod, revision: l.revision, container: l.container, requestId: l.requestId, text: l.text, seq: this.nextSeq++ };
      out[i] = numbered;
      chunk += JSON.stringify(numbered) + '\n';
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.kick();
    return out;
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = this.writeLoop().finally(() => {
      this.writing = null;
      if (this.pending.length) this.kick();
    });
  }

  private async writeLoop(): Promise<void> {
    while (this.pending.length) {
      const data = this.pending.join('');
      this.pending = [];
      try {
        if (this.segments.length === 0 || this.segBytes >= this.segmentBytes) await this.rotate();
        const file = this.fileOf(this.segments.at(-1)!);
        let bytes = Buffer.from(data, 'utf8');
        // A line cut by a crash (or a failed write) must not swallow the next one: start a new line.
        if (!this.tailChecked) {
          if (await endsMidLine(file)) bytes = Buffer.concat([NEWLINE, bytes]);
          this.tailChecked = true;
        }
        await fs.appendFile(file, bytes, { mode: 0o600 });
        this.segBytes += bytes.length;
        this.lastError = null;
      } catch (e) {
        this.tailChecked = false;
        this.lastError = `Could not write the log store in ${this.dir}: ${(e as Error).message}`;
      }
      this.pendingBytes -= data.length;
      if (!this.busy) this.releaseWaiters();
    }
  }

  private releaseWaiters(): void {
    const w = this.drainWaiters;
    this.drainWaiters = [];
    for (const f of w) f();
  }

  private async rotate(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const next = (this.segments.at(-1) ?? 0) + 1;
    this.segments.push(next);
    this.segBytes = 0;
    while (this.segments.length > this.maxSegments) {
      const old = this.segments.shift()!;
      await fs.rm(this.fileOf(old), { force: true });
    }
  }

  /** Resolves when everything appended so far is on disk. */
  async flushed(): Promise<void> {
    while (this.writing || this.pending.length) {
      if (!this.writing) this.kick();
      await this.writing;
    }
  }

  /** The newest `limit` lines matching the filters, oldest first. */
  async query(q: LogQuery): Promise<LogsQueryResult> {
    await this.open();
    await this.flushed();
    const needle = q.text?.toLowerCase();
    const matches: LogLine[] = [];
    for (const n of [...this.segments].reverse()) {
      const lines = await readSegment(this.fileOf(n));
      for (let i = lines.length - 1; i >= 0; i--) {
        const raw = lines[i]!;
        // Cheap text pre-checks before parsing (the JSON holds the same strings, maybe escaped).
        if (q.pod && !raw.includes(q.pod)) continue;
        if (q.requestId && !raw.includes(q.requestId)) continue;
        let l: LogLine;
        try {
          l = JSON.parse(raw) as LogLine;
        } catch {
          continue;
        }
        if (q.beforeSeq !== undefined && l.seq >= q.beforeSeq) continue;
        if (q.pod && l.pod !== q.pod) continue;
        if (q.revision && l.revision !== q.revision) continue;
        if (q.requestId && l.requestId !== q.requestId) continue;
        if (needle && !l.text.toLowerCase().includes(needle)) continue;
        if (matches.length === q.limit) return { lines: matches.reverse(), more: true };
        matches.push(l);
      }
    }
    return { lines: matches.reverse(), more: false };
  }

  /**
   * Per "pod/container", the stored lines of the last second or so before its newest line: what a
   * follower must not store again when it resumes that container's stream (see ResumeCursor).
   * Looks at the newest two segments only.
   */
  async resumePoints(): Promise<Map<string, RawLine[]>> {
    await this.open();
    await this.flushed();
    const out = new Map<string, RawLine[]>();
    const cutoffs = new Map<string, string>();
    for (const n of this.segments.slice(-2).reverse()) {
      const lines = await readSegment(this.fileOf(n));
      for (let i = lines.length - 1; i >= 0; i--) {
        let l: LogLine;
        try {
          l = JSON.parse(lines[i]!) as LogLine;
        } catch {
          continue;
        }
        const key = `${l.pod}/${l.container}`;
        let cutoff = cutoffs.get(key);
        if (cutoff === undefined) {
          cutoff = keyOfSecond(secondsBefore(l.ts, 1));
          cutoffs.set(key, cutoff);
          out.set(key, []);
        }
        if (l.ts >= cutoff) out.get(key)!.push({ ts: l.ts, text: l.text });
      }
    }
    for (const list of out.values()) list.reverse();
    return out;
  }

  /** Deletes every stored line; numbering continues. */
  async clear(): Promise<boolean> {
    await this.open();
    await this.flushed();
    const had = this.segments.length > 0;
    for (const n of this.segments) await fs.rm(this.fileOf(n), { force: true });
    this.segments = [];
    this.segBytes = 0;
    return had;
  }
}

async function readSegment(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const NEWLINE = Buffer.from('\n');

/**
 * The seq of the newest whole line of a segment, or null: reads backwards from the end, skipping a
 * line cut by a crash, however long the lines are (the window grows with the line).
 */
async function lastSeqIn(file: string): Promise<number | null> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    let start = size; // buf holds the file's bytes [start, end)
    let buf = Buffer.alloc(0);
    for (;;) {
      const nl = buf.lastIndexOf(0x0a);
      if (nl >= 0 || start === 0) {
        const seq = seqOf(buf.subarray(nl + 1));
        if (seq !== null) return seq;
        if (nl < 0) return null;
        buf = buf.subarray(0, nl);
        continue;
      }
      const n = Math.min(start, Math.max(64 * 1024, buf.length));
      const chunk = Buffer.alloc(n);
      await fh.read(chunk, 0, n, start - n);
      start -= n;
      buf = Buffer.concat([chunk, buf]);
    }
  } finally {
    await fh.close();
  }
}

function seqOf(raw: Buffer): number | null {
  if (raw.length === 0) return null;
  try {
    const l = JSON.parse(raw.toString('utf8')) as Partial<LogLine>;
    return typeof l.seq === 'number' ? l.seq : null;
  } catch {
    return null; // a line cut by a crash
  }
}
