import { PassThrough } from 'node:stream';
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ApiConnection, ApiRequest } from '../kube/api-connection';
import { FunctionCheck } from './function-check';

const OURS = { 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'hello' };

/** An API connection answering GET service with `answer(path)`; counts requests. */
function fakeConn(answer: (path: string) => { status: number; body: unknown }) {
  const paths: string[] = [];
  const conn: ApiConnection = {
    server: 'https://fake',
    async request(req: ApiRequest) {
      paths.push(req.path);
      const a = answer(req.path);
      const res = new PassThrough() as unknown as http.IncomingMessage & PassThrough;
      res.statusCode = a.status;
      res.end(JSON.stringify(a.body));
      return res;
    },
    destroy() {},
  };
  return { conn, paths };
}

describe('FunctionCheck', () => {
  it('lets a Service with both labels through and remembers it for the TTL only', async () => {
    let t = 0;
    const check = new FunctionCheck(2000, () => t);
    const { conn, paths } = fakeConn(() => ({ status: 200, body: { metadata: { name: 'hello', labels: OURS } } }));
    await check.ensure(conn, 'dev', 'hello');
    t = 1999;
    await check.ensure(conn, 'dev', 'hello');
    expect(paths).toEqual(['/api/v1/namespaces/dev/services/hello']);
    t = 2001;
    await check.ensure(conn, 'dev', 'hello');
    expect(paths).toHaveLength(2);
  });

  it('refuses as NOT_FOUND a Service without both labels, every time', async () => {
    const check = new FunctionCheck(2000, () => 0);
    for (const labels of [{}, { 'funcdeck.dev/function': 'hello' }, { ...OURS, 'funcdeck.dev/function': 'other' }]) {
      const { conn, paths } = fakeConn(() => ({ status: 200, body: { metadata: { name: 'hello', labels } } }));
      await expect(check.ensure(conn, 'dev', 'hello')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/Service "hello" there is not a Funcdeck function/) });
      await expect(check.ensure(conn, 'dev', 'hello')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(paths).toHaveLength(2);
    }
  });

  it('says there is no function when the Service does not exist, and passes other failures on', async () => {
    const check = new FunctionCheck();
    const missing = fakeConn(() => ({ status: 404, body: { kind: 'Status', message: 'services "x" not found' } }));
    await expect(check.ensure(missing.conn, 'dev', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no Service of that name/) });
    const forbidden = fakeConn(() => ({ status: 403, body: { kind: 'Status', message: 'forbidden' } }));
    await expect(check.ensure(forbidden.conn, 'dev', 'x')).rejects.toMatchObject({ statusCode: 403 });
  });
});
