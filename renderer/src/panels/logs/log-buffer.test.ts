import { describe, expect, it } from 'vitest';
import { LogBuffer } from './log-buffer';

const line = (seq: number) => ({ ts: '2026-01-01T00:00:00Z', pod: 'p', revision: '1', container: 'fn', requestId: null, text: `line ${seq}`, seq });

describe('LogBuffer', () => {
  it('holds at most the cap and counts what it dropped, oldest first', () => {
    const buf = new LogBuffer(1000);
    for (let i = 0; i < 25; i++) buf.append(Array.from({ length: 100 }, (_, j) => line(i * 100 + j)));
    expect(buf.lines.length).toBeLessThanOrEqual(1000);
    expect(buf.dropped + buf.lines.length).toBe(2500);
    expect(buf.lines.at(-1)!.seq).toBe(2499);
    expect(buf.lines[0]!.seq).toBe(buf.dropped);
  });
  it('ignores lines it already has and adds the upstream dropped count', () => {
    const buf = new LogBuffer(10);
    buf.append([line(1), line(2)]);
    buf.append([line(2), line(3)], 5);
    expect(buf.lines.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(buf.dropped).toBe(5);
  });
});
