import { describe, expect, it } from 'vitest';
import type { LogLine, LogsBatch } from '../../../shared/contract/logs';
import { deliver, FEED_BATCH_MAX } from './feed';

const lines = (n: number, revision = '1'): LogLine[] =>
  Array.from({ length: n }, (_, i) => ({ ts: `t${i}`, pod: 'p', revision, container: 'c', requestId: null, text: `l${i}`, seq: i + 1 }));

describe('UI feed delivery', () => {
  it('filters by revision and skips empty batches', () => {
    const got: LogsBatch[] = [];
    const sub = { revision: '2', deliver: (b: LogsBatch) => got.push(b) };
    const stats = { dropped: 0 };
    deliver(sub, [...lines(3, '1'), ...lines(2, '2')], undefined, stats, 0);
    deliver(sub, lines(3, '1'), undefined, stats, 100);
    expect(got.map((b) => b.lines.length)).toEqual([2]);
  });

  it('keeps the newest lines within the budget and counts the rest as dropped', () => {
    const got: LogsBatch[] = [];
    const sub = { deliver: (b: LogsBatch) => got.push(b) };
    const stats = { dropped: 0 };
    deliver(sub, lines(10), undefined, stats, 0);
    deliver(sub, lines(FEED_BATCH_MAX + 5), undefined, stats, 100);
    expect(got[1]!.lines.length).toBe(FEED_BATCH_MAX);
    expect(got[1]!.dropped).toBe(5);
    expect(got[1]!.lines[0]!.seq).toBe(6);
    // after a 1.6 s pause a burst of 40k lines fits (25k lines/s)
    deliver(sub, lines(40_000), undefined, stats, 1700);
    expect(got[2]!.lines.length).toBe(40_000);
    expect(got[2]!.dropped).toBeUndefined();
    expect(stats.dropped).toBe(5);
  });

  it('a subscriber that throws does not break delivery', () => {
    const stats = { dropped: 0 };
    expect(() => deliver({ deliver: () => { throw new Error('closed'); } }, lines(1), undefined, stats, 0)).not.toThrow();
  });
});
