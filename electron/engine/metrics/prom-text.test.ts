import { describe, expect, it } from 'vitest';
import { parsePromText } from './prom-text';
import { readRuntimeCounters } from './runtime-series';

const TEXT = `# HELP funcdeck_requests_total Calls handled, by HTTP status code.
# TYPE funcdeck_requests_total counter
funcdeck_requests_total{function="hello",code="200"} 41
funcdeck_requests_total{function="hello",code="500"} 3
funcdeck_request_duration_seconds_bucket{function="hello",le="0.005"} 10
funcdeck_request_duration_seconds_bucket{function="hello",le="0.01"} 30
funcdeck_request_duration_seconds_bucket{function="hello",le="+Inf"} 44
funcdeck_request_duration_seconds_sum{function="hello"} 0.42
funcdeck_request_duration_seconds_count{function="hello"} 44
funcdeck_requests_in_flight{function="hello"} 2
process_start_time_seconds 1.7e9
weird{a="x\\"y\\\\z\\n", b = "2"} NaN 1700000000000
broken{a="unterminated} 1
`;

describe('Prometheus text parsing', () => {
  it('parses names, labels (with escapes), special values, and skips what does not parse', () => {
    const s = parsePromText(TEXT);
    expect(s.length).toBe(10); // the unterminated label is skipped
    expect(s[0]).toEqual({ name: 'funcdeck_requests_total', labels: { function: 'hello', code: '200' }, value: 41 });
    expect(s[4]!.labels.le).toBe('+Inf');
    const weird = s.find((x) => x.name === 'weird')!;
    expect(weird.labels).toEqual({ a: 'x"y\\z\n', b: '2' });
    expect(weird.value).toBeNaN();
    expect(s.find((x) => x.name === 'process_start_time_seconds')!.value).toBe(1.7e9);
  });

  it('reads the runtime series: requests by code, buckets, in-flight, start time', () => {
    const c = readRuntimeCounters(parsePromText(TEXT));
    expect([...c.byCode]).toEqual([
      ['200', 41],
      ['500', 3],
    ]);
    expect([...c.buckets]).toEqual([
      [0.005, 10],
      [0.01, 30],
      [Infinity, 44],
    ]);
    expect(c.inFlight).toBe(2);
    expect(c.startTime).toBe(1.7e9);
  });

  it('accepts other runtimes’ names by suffix', () => {
    const c = readRuntimeCounters(
      parsePromText('http_requests_total{status="404"} 5\nhttp_request_duration_seconds_bucket{le="1"} 5\nhttp_request_duration_seconds_bucket{le="+Inf"} 5\nhttp_in_flight_requests 1\n'),
    );
    expect(c.byCode.get('404')).toBe(5);
    expect(c.buckets.get(1)).toBe(5);
    expect(c.inFlight).toBe(1);
  });
});
