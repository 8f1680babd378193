import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FuncdeckError } from '../../../shared/contract/errors';
import { healthFor, type HealthView } from './health';

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

let n = 0;
function kcFor(port: number): KubeConfig {
  const kc = new KubeConfig();
  const context = `health-${port}-${++n}`;
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: context, cluster: 'c', user: 'u' }],
    currentContext: context,
  });
  return kc;
}

/** vitest's waitUntil, with room for a loaded machine. */
const until = <T>(f: () => T | undefined | false, timeout = 5000) => vi.waitUntil(f, { timeout, interval: 20 });

const fast = { upIntervalMs: 100, downIntervalMs: 50, timeoutMs: 300 };

describe('context health', () => {
  it('a frozen API server (connection accepted, no answer) is down with cause api-server; it is back as soon as it answers', async () => {
    const sockets: net.Socket[] = [];
    let frozen = true;
    const server = http.createServer((req, res) => {
      if (!frozen) res.end('ok');
    });
    server.on('connection', (s) => void sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => {
      sockets.forEach((s) => s.destroy());
      server.close();
    });
    const kc = kcFor((server.address() as AddressInfo).port);
    const h = healthFor(kc)!;
    const seen: HealthView[] = [];
    closers.push(h.subscribe((v) => seen.push(v)));
    const ac = new AbortController();
    closers.push(() => ac.abort());
    h.keepChecking(kc, ac.signal, fast);
    const down = await until(() => seen.find((v) => v.state === 'down'));
    expect(down).toMatchObject({ cause: 'api-server', error: expect.objectContaining({ message: expect.stringMatching(/accepted the connection but sent no answer/) }) });
    frozen = false;
    const t0 = Date.now();
    await until(() => h.view().state === 'up');
    expect(Date.now() - t0).toBeLessThan(2000);
    // Listeners hear transitions, not every check.
    expect(seen.map((v) => v.state)).toEqual(['down', 'up']);
  });

  it('nothing listening is down (not running); a /readyz 500 is degraded with the failing checks; any answer brings it up', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const kc = kcFor(closed);
    const h = healthFor(kc)!;
    await h.checkOnce(kc, 1000);
    expect(h.view()).toMatchObject({ state: 'down', cause: 'api-server', error: expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED.*not running/) }) });
    h.answered();
    expect(h.view().state).toBe('up');
    h.failed('network', new FuncdeckError('CLUSTER_UNREACHABLE', 'x'));
    expect(h.view()).toMatchObject({ state: 'down', cause: 'network' });

    const server = http.createServer((req, res) => {
      res.writeHead(500);
      res.end('[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const kc2 = kcFor((server.address() as AddressInfo).port);
    const h2 = healthFor(kc2)!;
    await h2.checkOnce(kc2, 1000);
    expect(h2.view()).toMatchObject({ state: 'degraded', cause: 'api-server', error: expect.objectContaining({ message: expect.stringMatching(/not ready .*failing: etcd/) }) });
  });

  it('checks only while someone keeps watching, one checker however many ask', async () => {
    let hits = 0;
    const server = http.createServer((req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const kc = kcFor((server.address() as AddressInfo).port);
    const h = healthFor(kc)!;
    const a = new AbortController();
    const b = new AbortController();
    h.keepChecking(kc, a.signal, fast);
    h.keepChecking(kc, b.signal, fast);
    await new Promise((r) => setTimeout(r, 550));
    expect(hits).toBeGreaterThanOrEqual(2);
    expect(hits).toBeLessThanOrEqual(8); // ~every 100 ms, by one checker (two would make ~12)
    a.abort();
    b.abort();
    await new Promise((r) => setTimeout(r, 150));
    const after = hits;
    await new Promise((r) => setTimeout(r, 400));
    expect(hits).toBe(after);
  });
});
