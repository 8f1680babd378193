import { describe, expect, it } from 'vitest';
import { ResumeCursor } from './resume-cursor';
import type { RawLine } from './line';

const ts = (ms: number) => new Date(Date.UTC(2026, 10, 22, 4, 0, 0) + ms).toISOString().replace('Z', '000000Z');
const lines = (from: number, to: number, stepMs: number): RawLine[] =>
  Array.from({ length: to - from }, (_, i) => ({ ts: ts((from + i) * stepMs), text: `line ${from + i}` }));

/** What the log API returns for sinceTime: every line at or after that whole second. */
const since = (all: RawLine[], sinceTime: string) => all.filter((l) => l.ts >= sinceTime.replace('Z', '.000000000Z'));

describe('ResumeCursor', () => {
  it('resumes a dropped stream with no line lost or doubled', () => {
    const all = lines(0, 3000, 1); // 3 s of lines, 1 per ms
    const c = new ResumeCursor();
    const got: string[] = [];
    for (const l of all.slice(0, 1234)) if (c.accept(l)) got.push(l.text); // the stream dies after line 1233
    const s = c.sinceTime()!;
    expect(s).toBe('2026-11-22T04:00:00Z');
    c.beginReplay();
    for (const l of since(all, s)) if (c.accept(l)) got.push(l.text);
    expect(got).toEqual(all.map((l) => l.text));
  });

  it('keeps identical lines with the same timestamp as distinct copies', () => {
    const t = ts(500);
    const all: RawLine[] = [
      { ts: t, text: 'same' },
      { ts: t, text: 'same' },
      { ts: t, text: 'same' },
    ];
    const c = new ResumeCursor();
    let n = 0;
    if (c.accept(all[0]!)) n++; // only one copy seen before the drop
    c.beginReplay();
    for (const l of all) if (c.accept(l)) n++;
    expect(n).toBe(3);
  });

  it('survives several drops in a row, and lines the dead stream never delivered pass', () => {
    const all = lines(0, 5000, 0.7);
    const c = new ResumeCursor();
    const got: string[] = [];
    let pos = 0;
    for (const cut of [100, 900, 901, 2500, 5000]) {
      const feed = pos === 0 ? all : since(all, c.sinceTime()!);
      if (pos > 0) c.beginReplay();
      let taken = 0;
      for (const l of feed) {
        if (l.ts > (all[cut - 1]?.ts ?? '')) break;
        taken++;
        if (c.accept(l)) got.push(l.text);
      }
      pos = cut;
      expect(taken).toBeGreaterThan(0);
    }
    expect(got).toEqual(all.map((l) => l.text));
  });

  it('seeded from the store, a new stream stores only what is new', () => {
    const all = lines(0, 2000, 1);
    const c = new ResumeCursor();
    c.seed(all.slice(0, 1500)); // what the store holds from the second before its last line's second
    const s = c.sinceTime()!;
    c.beginReplay();
    const fresh = since(all, s).filter((l) => c.accept(l));
    expect(fresh.map((l) => l.text)).toEqual(all.slice(1500).map((l) => l.text));
  });

  it('starts from the beginning before any line', () => {
    expect(new ResumeCursor().sinceTime()).toBeNull();
  });
});
