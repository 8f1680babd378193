import type { LogLine } from '../../../../shared/contract/logs';

/** Most lines held in memory per function; older ones are dropped and counted. */
export const LOG_CAP = 100_000;

/**
 * An append-only buffer with a cap. Appending never copies the whole array (the UI gets a new
 * `version` to re-render), and trimming happens in chunks so a flood costs amortised O(1) per line.
 */
export class LogBuffer {
  lines: LogLine[] = [];
  dropped = 0;
  version = 0;
  /** Pods and revisions seen so far, kept as lines arrive so filters never rescan the buffer. */
  pods = new Set<string>();
  revisions = new Set<string>();
  private seen = new Set<number>();

  constructor(readonly cap = LOG_CAP) {}

  append(batch: LogLine[], droppedUpstream = 0) {
    this.dropped += droppedUpstream;
    for (const line of batch) {
      if (this.seen.has(line.seq)) continue; // a resumed follow may resend lines
      this.seen.add(line.seq);
      this.lines.push(line);
      this.pods.add(line.pod);
      if (line.revision) this.revisions.add(line.revision);
    }
    // Trim in steps of 1% so a steady flood does not shift the array on every batch.
    if (this.lines.length > this.cap) {
      const excess = this.lines.length - this.cap + Math.floor(this.cap / 100);
      for (const l of this.lines.slice(0, excess)) this.seen.delete(l.seq);
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
    this.version++;
  }

  clear() {
    this.lines = [];
    this.seen.clear();
    this.pods.clear();
    this.revisions.clear();
    this.dropped = 0;
    this.version++;
  }
}
