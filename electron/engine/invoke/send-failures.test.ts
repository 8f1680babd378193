import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { LABELS, MANAGED_BY } from '../../../shared/contract';
import { InvokeRequest } from '../../../shared/contract/invoke';
import { createApiConnection } from '../kube/api-connection';
import { sendInvoke } from './send';

/**
 * Who did not answer an invoke: the API server (frozen, or its own 5xx), the function's pod (the
 * proxy's 502/503), or the function (slow to answer, or slow to finish). Fake API servers on loopback.
 */
const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

function kcFor(port: number): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: `send-failures-${port}`, cluster: 'c', user: 'u' }],
    currentContext: `send-failures-${port}`,
  });
  return kc;
}

/** The function's own Service, as invoke checks it before sending anything. */
const ourService = JSON.stringify({
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name: 'hello', namespace: 'dev', labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.function]: 'hello' } },
});

async function httpApi(handler: http.RequestListener): Promise<KubeConfig> {
  const server = http.createServer((req, res) => {
    if (req.url === '/api/v1/namespaces/dev/services/hello') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(ourService);
    }
    handler(req, res);
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return kcFor((server.address() as AddressInfo).port);
}

const invoke = async (kc: KubeConfig, timeoutMs = 2000) => {
  const conn = await createApiConnection(kc);
  closers.push(() => conn.destroy());
  const t0 = performance.now();
  const err = await sendInvoke(conn, 'dev', InvokeRequest.parse({ function: 'hello', timeoutMs })).catch((e: unknown) => e);
  return { err: err as { code: string; message: string; details: { source?: string } }, ms: performance.now() - t0 };
};

const isReadyz = (req: http.IncomingMessage) => req.url?.startsWith('/readyz');

describe('invoke failures say who did not answer', () => {
  it('a frozen API server (accepts connections, answers nothing) is named, not the function', async () => {
    const sockets: net.Socket[] = [];
    const frozen = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => frozen.listen(0, '127.0.0.1', r));
    closers.push(() => {
      sockets.forEach((s) => s.destroy());
      frozen.close();
    });
    const { err, ms } = await invoke(kcFor((frozen.address() as AddressInfo).port));
    expect(err.message).not.toMatch(/function may hang|check its logs/);
    expect(err).toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: expect.stringMatching(/API server http:\/\/127\.0\.0\.1:\d+ did not answer/), details: { source: 'api-server' } });
    expect(ms).toBeLessThan(4000); // the deadline (2 s), plus at most the check's own
  });

  it('an API server that answers while the function does not: the function is slow or hangs', async () => {
    const kc = await httpApi((req, res) => {
      if (isReadyz(req)) return res.end('ok');
      // the function never answers
    });
    const { err } = await invoke(kc);
    expect(err).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/"hello".*may hang or be slow/), details: { source: 'function' } });
  });

  it('a function that started answering (request id) but does not finish: said so', async () => {
    const kc = await httpApi((req, res) => {
      if (isReadyz(req)) return res.end('ok');
      res.writeHead(200, { 'x-funcdeck-request-id': 'abc123', 'content-type': 'text/plain' });
      res.write('partial');
    });
    const { err } = await invoke(kc);
    expect(err).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/"hello" started answering \(HTTP 200, request abc123\)/), details: { source: 'function' } });
  });

  it("the proxy's 503 (pod unreachable) names the pod; the API server's own 504 names the API server", async () => {
    const status = (code: number, reason: string, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
    const kc = await httpApi((req, res) => {
      res.writeHead(req.headers['x-case'] === 'pod' ? 503 : 504, { 'content-type': 'application/json' });
      res.end(
        req.headers['x-case'] === 'pod'
          ? status(503, 'ServiceUnavailable', 'error trying to reach service: dial tcp 10.0.0.9:8080: connect: connection refused')
          : status(504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded'),
      );
    });
    const conn = await createApiConnection(kc);
    closers.push(() => conn.destroy());
    const send = (c: string) => sendInvoke(conn, 'dev', InvokeRequest.parse({ function: 'hello', headers: [{ name: 'x-case', value: c }] })).catch((e: unknown) => e);
    expect(await send('pod')).toMatchObject({ code: 'INVOKE_FAILED', message: expect.stringMatching(/could not reach "hello"/), details: { source: 'pod' } });
    const own = (await send('apiserver')) as Error;
    expect(own).toMatchObject({ code: 'CLUSTER_UNREACHABLE', message: expect.stringMatching(/API server .*(504|Timeout)/), details: { source: 'api-server' } });
    expect(own.message).not.toMatch(/pod may be starting|check its status and logs/);
  });
});
