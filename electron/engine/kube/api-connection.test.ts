import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiConnection, readAll } from './api-connection';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(handler: http.RequestListener): Promise<KubeConfig> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('ApiConnection', () => {
  it('reuses one socket, sends the credentials, and resends once when a kept-alive socket was closed', async () => {
    const perSocket = new WeakMap<object, number>();
    const sockets = new Set<object>();
    const auth: string[] = [];
    const kc = await serve((req, res) => {
      sockets.add(req.socket);
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      auth.push(req.headers.authorization ?? '');
      if (n === 3) return req.socket.destroy(); // the server drops an idle kept-alive socket
      res.end(`answer ${n}`);
    });
    const conn = await createApiConnection(kc);
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) texts.push((await readAll(await conn.request({ path: '/x' }))).toString());
    expect(texts).toEqual(['answer 1', 'answer 2', 'answer 1', 'answer 2']);
    expect(sockets.size).toBe(2);
    expect(new Set(auth)).toEqual(new Set(['Bearer secret-token']));
    conn.destroy();
  });

  it('does not resend when the socket was fresh', async () => {
    let calls = 0;
    const kc = await serve((req) => {
      calls++;
      req.socket.destroy();
    });
    const conn = await createApiConnection(kc);
    await expect(conn.request({ path: '/x' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(calls).toBe(1);
    conn.destroy();
  });
});
