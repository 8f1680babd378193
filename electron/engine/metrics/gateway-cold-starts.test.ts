import { describe, expect, it } from 'vitest';
import { coldStartDelta, readColdStartCounters } from './gateway-cold-starts';
import { parsePromText } from './prom-text';

const text = (n: number, sum: number) => `
funcdeck_gateway_cold_start_seconds_sum{function="hello",revision="2",part="total"} ${sum}
funcdeck_gateway_cold_start_seconds_count{function="hello",revision="2",part="total"} ${n}
funcdeck_gateway_cold_start_seconds_count{function="hello",revision="2",part="scheduling"} ${n}
funcdeck_gateway_cold_start_seconds_count{function="other",revision="2",part="total"} 99
`;

describe('gateway cold starts in metrics', () => {
  it("counts one function's cold starts per revision between two reads, with their mean time", () => {
    const a = readColdStartCounters(parsePromText(text(1, 1.5)), 'hello');
    const b = readColdStartCounters(parsePromText(text(3, 4.5)), 'hello');
    expect(coldStartDelta(null, a)).toEqual(new Map());
    expect(coldStartDelta(a, b)).toEqual(new Map([['2', { count: 2, meanMs: 1500 }]]));
    expect(coldStartDelta(b, b)).toEqual(new Map([['2', { count: 0, meanMs: null }]]));
  });

  it('takes a lower count as a restarted gateway: everything it counted is new', () => {
    const before = readColdStartCounters(parsePromText(text(5, 5)), 'hello');
    const after = readColdStartCounters(parsePromText(text(1, 0.8)), 'hello');
    expect(coldStartDelta(before, after).get('2')).toEqual({ count: 1, meanMs: 800 });
  });
});
