import { describe, expect, it } from 'vitest';
import type { FuncdeckError } from '../../../shared/contract';
import { checkHeaders, encodePath, serviceProxyPath } from './send';

describe('invoke request building', () => {
  it('builds the service proxy path with an ordered, repeatable query', () => {
    expect(serviceProxyPath('dev', 'hello', '/', [])).toBe('/api/v1/namespaces/dev/services/hello:http/proxy/');
    expect(serviceProxyPath('dev', 'hello', '/items/3', [{ name: 'a', value: '1' }, { name: 'a', value: 'x y&z' }])).toBe(
      '/api/v1/namespaces/dev/services/hello:http/proxy/items/3?a=1&a=x+y%26z',
    );
  });
  it('encodes unsafe path characters but keeps escapes the user typed', () => {
    expect(encodePath('/a%20b/ü"')).toBe('/a%20b/%C3%BC%22');
    expect(encodePath('/100%')).toBe('/100%25');
  });
  it('merges repeated headers and refuses ones the API server hop owns', () => {
    expect(checkHeaders([{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }, { name: 'Content-Type', value: 'text/csv' }])).toEqual({
      'x-a': ['1', '2'],
      'content-type': 'text/csv',
    });
    expect(() => checkHeaders([{ name: 'Authorization', value: 'Bearer x' }])).toThrow(/X-Authorization/);
    expect(() => checkHeaders([{ name: 'Impersonate-User', value: 'admin' }])).toThrow(/cannot be sent/);
    expect(() => checkHeaders([{ name: 'bad header', value: '1' }])).toThrow(/not a valid header name/);
    expect(() => checkHeaders([{ name: 'x', value: 'a\r\nb' }])).toThrow(/line break/);
  });
  it('refuses header values HTTP cannot carry, naming the header and the character (Node would throw an untyped error)', () => {
    const refused = (value: string) => {
      try {
        checkHeaders([{ name: 'X-Greeting', value }]);
      } catch (e) {
        return e as FuncdeckError;
      }
      throw new Error(`accepted ${JSON.stringify(value)}`);
    };
    expect(refused('grüße €5')).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/"X-Greeting".*"€" \(U\+20AC\) at character 7.*Latin-1.*percent-encode/) });
    expect(refused('emoji 😀')).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/U\+1F600/) });
    expect(refused('bell\x07')).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/"X-Greeting".*control character \(U\+0007\)/) });
    expect(refused('del\x7f')).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/DEL \(U\+007F\)/) });
    expect(refused('nul\0')).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/NUL/) });
    // Latin-1 text and tabs are fine.
    expect(checkHeaders([{ name: 'X-Greeting', value: 'grüße\tà bientôt ÿ' }])).toEqual({ 'x-greeting': 'grüße\tà bientôt ÿ' });
  });
});
