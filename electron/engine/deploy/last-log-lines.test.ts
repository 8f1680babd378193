import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { lastLogLines } from './kube-ops';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A pod log endpoint: `previous=true` and the current run answer with the given texts (HTTP 200, as the kubelet does). */
async function podLogs(previousRun: string, currentRun: string): Promise<KubeConfig> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(url.searchParams.get('previous') === 'true' ? previousRun : currentRun);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('lastLogLines', () => {
  it('reads the other run when the kubelet says the named run was already removed (a crash loop replaced it)', async () => {
    const kc = await podLogs('unable to retrieve container logs for containerd://0123abcd', 'about to fail\nError: startup boom\n');
    expect(await lastLogLines(kc, 'ns', 'pod', 'function', true)).toEqual(['about to fail', 'Error: startup boom']);
  });

  it('returns the named run when it has lines', async () => {
    const kc = await podLogs('crashed run\n', 'running run\n');
    expect(await lastLogLines(kc, 'ns', 'pod', 'function', true)).toEqual(['crashed run']);
  });
});
