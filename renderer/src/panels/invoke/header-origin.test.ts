import { describe, expect, it } from 'vitest';
import { splitHeaders } from './header-origin';

describe('splitHeaders', () => {
  it("puts the API server proxy's own headers apart from the function's, keeping order", () => {
    const headers = [
      { name: 'Audit-Id', value: '5f0c' },
      { name: 'cache-control', value: 'no-cache, private' },
      { name: 'content-type', value: 'text/plain' },
      { name: 'x-funcdeck-request-id', value: 'abc' },
      { name: 'X-Kubernetes-Pf-Flowschema-Uid', value: 'u1' },
      { name: 'x-kubernetes-pf-prioritylevel-uid', value: 'u2' },
      { name: 'date', value: 'Mon' },
    ];
    const { fromFunction, fromApiServer } = splitHeaders(headers);
    expect(fromFunction.map((h) => h.name)).toEqual(['content-type', 'x-funcdeck-request-id', 'date']);
    expect(fromApiServer.map((h) => h.name)).toEqual(['Audit-Id', 'cache-control', 'X-Kubernetes-Pf-Flowschema-Uid', 'x-kubernetes-pf-prioritylevel-uid']);
  });
  it("a function's own cache-control stays the function's", () => {
    expect(splitHeaders([{ name: 'cache-control', value: 'max-age=60' }]).fromFunction).toHaveLength(1);
  });
});
