/**
 * How often the logs panel redraws for new lines. While lines are few, each shows at the next frame;
 * once they come faster than anyone can read (more than `busyLines` within `windowMs`), redraws are
 * spaced `busyIntervalMs` apart. Only the drawing is paced: every line is held and counted as it
 * arrives, so counts, filters and downloads stay exact.
 */
export interface RedrawPacerOptions {
  busyIntervalMs?: number;
  windowMs?: number;
  busyLines?: number;
}

export class RedrawPacer {
  private readonly busyIntervalMs: number;
  private readonly windowMs: number;
  private readonly busyLines: number;
  private arrivals: Array<[number, number]> = [];
  private inWindow = 0;
  private lastDraw = -Infinity;

  constructor(o: RedrawPacerOptions = {}) {
    this.busyIntervalMs = o.busyIntervalMs ?? 250;
    this.windowMs = o.windowMs ?? 500;
    this.busyLines = o.busyLines ?? 50;
  }

  arrived(now: number, lines: number): void {
    this.arrivals.push([now, lines]);
    this.inWindow += lines;
  }

  /** Whether lines currently come faster than the threshold. */
  busy(now: number): boolean {
    const from = now - this.windowMs;
    let i = 0;
    while (i < this.arrivals.length && this.arrivals[i]![0] <= from) this.inWindow -= this.arrivals[i++]![1];
    if (i) this.arrivals.splice(0, i);
    return this.inWindow > this.busyLines;
  }

  /** ms to wait before the next redraw: none while quiet; under load, until `busyIntervalMs` after the last one. */
  wait(now: number): number {
    return this.busy(now) ? Math.max(0, this.lastDraw + this.busyIntervalMs - now) : 0;
  }

  drew(now: number): void {
    this.lastDraw = now;
  }
}
