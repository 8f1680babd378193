import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMIT_INTERVAL_MS, LogBatcher } from './batcher';

/** A kubelet-style normalized timestamp for a time in ms. */
const tsOf = (ms: number) => new Date(ms).toISOString().replace('Z', '000000Z');

interface Line {
  stream: string;
  n: number;
  ts: string;
}

function setup(following: string[] = ['a']) {
  const emits: Array<{ at: number; lines: Line[] }> = [];
  const streams = { following };
  const b = new LogBatcher<Line>({
    emit: (lines) => void emits.push({ at: Date.now(), lines }),
    following: () => streams.following,
    now: () => Date.now(),
  });
  let n = 0;
  /** A line of `stream` printed `lagMs` ago (its kubelet timestamp), arriving now. */
  const arrive = (stream: string, lagMs = 2, ts = Date.now() - lagMs) => {
    const line = { stream, n: ++n, ts: tsOf(ts) };
    b.push(stream, line.ts, line);
    b.schedule();
    return line;
  };
  const emitted = () => emits.flatMap((e) => e.lines);
  const emittedAt = (line: Line) => emits.find((e) => e.lines.includes(line))?.at;
  return { b, emits, arrive, emitted, emittedAt, streams };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_800_000_000_000 });
});
afterEach(() => vi.useRealTimers());

describe('LogBatcher: when lines go out', () => {
  it('sends a line that arrives while things are quiet at once, even right after another one', async () => {
    const { arrive, emittedAt } = setup();
    const t0 = Date.now();
    const first = arrive('a');
    await vi.advanceTimersByTimeAsync(1);
    // The runtime prints a second line a few ms later (e.g. a handler's output after the request line).
    await vi.advanceTimersByTimeAsync(4);
    const second = arrive('a');
    await vi.advanceTimersByTimeAsync(1);
    expect(emittedAt(first)).toBeLessThanOrEqual(t0 + 1);
    // Today's fixed batch would hold it until 100 ms after the first one went out.
    expect(emittedAt(second) ?? Infinity).toBeLessThanOrEqual(t0 + 6);
  });

  it('batches under load: a 10,000 lines/s flood goes out in about ten batches a second, every line once and in order', async () => {
    const { arrive, emits, emitted } = setup();
    const sent: Line[] = [];
    for (let t = 0; t < 2000; t += 5) {
      for (let i = 0; i < 50; i++) sent.push(arrive('a'));
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(EMIT_INTERVAL_MS * 2);
    expect(emitted()).toEqual(sent);
    const nonEmpty = emits.filter((e) => e.lines.length > 0);
    // 2 s at one batch per interval, plus the few quick sends before the rate was known.
    expect(nonEmpty.length).toBeLessThanOrEqual((2000 / EMIT_INTERVAL_MS) * 1.25);
    const gaps = nonEmpty.slice(1).map((e, i) => e.at - nonEmpty[i]!.at);
    expect(gaps.filter((g) => g < EMIT_INTERVAL_MS).length).toBeLessThanOrEqual(5);
  });

  it('goes back to sending at once when the flood stops', async () => {
    const { arrive, emittedAt } = setup();
    for (let t = 0; t < 500; t += 5) {
      for (let i = 0; i < 50; i++) arrive('a');
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(1000);
    const t1 = Date.now();
    const lone = arrive('a');
    await vi.advanceTimersByTimeAsync(1);
    expect(emittedAt(lone)).toBeLessThanOrEqual(t1 + 1);
  });

  it('sends a status change at once when quiet', async () => {
    const { b, emits } = setup();
    const t0 = Date.now();
    b.schedule();
    await vi.advanceTimersByTimeAsync(1);
    expect(emits.map((e) => e.at)).toEqual([t0]);
    await vi.advanceTimersByTimeAsync(10);
    b.schedule();
    await vi.advanceTimersByTimeAsync(1);
    expect(emits.length).toBe(2);
  });

  it('merges two pods in timestamp order, releasing a line as soon as the other stream has passed its time', async () => {
    const { arrive, emitted, emittedAt } = setup(['a', 'b']);
    const t0 = Date.now();
    const a1 = arrive('a', 2);
    await vi.advanceTimersByTimeAsync(3);
    // b's line was printed before a1 but arrives after it: it goes out first (a has passed its
    // time), and a1 still waits for b.
    const b0 = arrive('b', 20);
    await vi.advanceTimersByTimeAsync(1);
    expect(emitted()).toEqual([b0]);
    const b1 = arrive('b', 1);
    await vi.advanceTimersByTimeAsync(1);
    expect(emitted()).toEqual([b0, a1]);
    // Released when b passed a1's time, not after a fixed hold.
    expect(emittedAt(a1)).toBeLessThanOrEqual(t0 + 6);
    await vi.advanceTimersByTimeAsync(200);
    expect(emitted()).toEqual([b0, a1, b1]);
  });

  it('holds a line for a quiet other pod only as long as lines take to arrive', async () => {
    const { arrive, emittedAt } = setup(['a', 'b']);
    // Both pods have been printing: lines arrive about 3 ms after their timestamps.
    for (let i = 0; i < 20; i++) {
      arrive('a', 3);
      arrive('b', 3);
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(1000);
    const t1 = Date.now();
    const lone = arrive('a', 3);
    await vi.advanceTimersByTimeAsync(100);
    // Today's fixed 75 ms hold; now about the lines' own delay plus a margin.
    expect(emittedAt(lone)! - t1).toBeLessThan(30);
  });
});
