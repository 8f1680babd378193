import { describe, expect, it } from 'vitest';
import { toCurl } from './curl';

describe('copy as curl', () => {
  it('goes through kubectl proxy to the function Service with method, query, headers and body', () => {
    const text = toCurl(
      {
        function: 'hello',
        method: 'POST',
        path: '/items/3',
        query: [{ name: 'q', value: 'a b' }],
        headers: [{ name: 'x-trace', value: "it's" }],
        body: { kind: 'json', content: '{"a":1}' },
      },
      'kind-dev',
      'team-a',
    );
    expect(text).toContain("kubectl --context 'kind-dev' proxy --port=8001");
    expect(text).toContain("curl -sS -X POST 'http://127.0.0.1:8001/api/v1/namespaces/team-a/services/hello/proxy/items/3?q=a%20b'");
    expect(text).toContain(`-H 'x-trace: it'\\''s'`);
    expect(text).toContain("-H 'content-type: application/json'");
    expect(text).toContain(`--data-raw '{"a":1}'`);
  });
  it('sends no body for a GET without one', () => {
    const text = toCurl({ function: 'hello' }, 'c', 'default');
    expect(text).toContain('curl -sS -X GET');
    expect(text).not.toContain('--data');
  });
});
