import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../shared/contract/logs';
import { FilteredLines, NO_FILTER, lineMatcher } from './filter-lines';
import { LogBuffer } from './log-buffer';

const line = (seq: number, text = `line ${seq}`, pod = 'p-a'): LogLine => ({
  ts: '2026-01-01T00:00:00Z',
  pod,
  revision: seq % 2 ? '1' : '2',
  container: 'fn',
  requestId: seq % 10 === 0 ? `req-${seq}` : null,
  text,
  seq,
});

describe('lineMatcher', () => {
  it('matches text case-insensitively without ANSI codes, and pod, revision and request id exactly', () => {
    expect(lineMatcher({ ...NO_FILTER, text: 'green' })(line(1, 'a \u001b[32mGREEN\u001b[0m b'))).toBe(true);
    expect(lineMatcher({ ...NO_FILTER, text: '32m' })(line(1, 'a \u001b[32mGREEN\u001b[0m b'))).toBe(false);
    expect(lineMatcher({ ...NO_FILTER, pod: 'p-b' })(line(1))).toBe(false);
    expect(lineMatcher({ ...NO_FILTER, revision: '1' })(line(1))).toBe(true);
    expect(lineMatcher({ ...NO_FILTER, requestId: 'req-10' })(line(10))).toBe(true);
  });
});

describe('FilteredLines', () => {
  it('gives the source itself when nothing is filtered', () => {
    const src = [line(1), line(2)];
    expect(new FilteredLines().update(src, NO_FILTER)).toBe(src);
  });

  it('follows a growing, front-trimmed buffer exactly as filtering it whole would', () => {
    const buf = new LogBuffer(1000);
    const view = new FilteredLines();
    const filter = { ...NO_FILTER, text: '7' };
    const whole = lineMatcher(filter);
    let seq = 0;
    for (let round = 0; round < 40; round++) {
      buf.append(Array.from({ length: 97 }, () => line(seq++)));
      const got = view.update(buf.lines, filter);
      expect(got.map((l) => l.seq)).toEqual(buf.lines.filter(whole).map((l) => l.seq));
    }
    expect(buf.dropped).toBeGreaterThan(0);
  });

  it('returns the same array while nothing new matches, and starts over on a new filter or a cleared buffer', () => {
    const view = new FilteredLines();
    const src = [line(1, 'a'), line(2, 'b')];
    const f = { ...NO_FILTER, text: 'a' };
    const first = view.update(src, f);
    src.push(line(3, 'b'));
    expect(view.update(src, f)).toBe(first);
    expect(view.update(src, { ...NO_FILTER, text: 'b' }).map((l) => l.seq)).toEqual([2, 3]);
    expect(view.update([line(9, 'b')], { ...NO_FILTER, text: 'b' }).map((l) => l.seq)).toEqual([9]);
  });
});
