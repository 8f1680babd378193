// Stops the dev cluster's API server for a while during an e2e story, and always brings it back.
import { CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import dns from 'node:dns/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testCluster } from '../support/cluster-target';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops kube-apiserver (SIGTERM, as a restart does), waits `downMs`, starts it again and waits for
 * /readyz (start.sh), all under cluster.sh's lock so no other worker's restart interleaves. A trap
 * starts it again however the script ends. Resolves once cluster DNS resolves a new Service again, so
 * the tests that follow find a whole cluster (see test/integration/support-observe.ts).
 */
export async function stopDevApiServerFor(downMs: number): Promise<void> {
  const cluster = testCluster();
  if (!cluster.devCluster) throw new Error('stopping the API server needs the dev cluster');
  const cache = process.env.FUNCDECK_CACHE ?? path.join(os.homedir(), '.cache', 'funcdeck');
  const pidFile = path.join(cache, 'devcluster', 'pids', 'kube-apiserver.pid');
  const start = `bash "${repo}/test/devcluster/start.sh" kube-apiserver`;
  const script = [
    'set -e',
    `pid=$(cat "${pidFile}")`,
    `trap '[ -d "/proc/$(cat "${pidFile}")" ] || ${start.replace(/'/g, `'\\''`)}' EXIT`,
    'kill -TERM "$pid"',
    'for i in $(seq 1 100); do [ -d "/proc/$pid" ] || break; sleep 0.1; done',
    `sleep ${downMs / 1000}`,
    start,
  ].join('\n');
  await promisify(execFile)('flock', ['-w', '600', path.join(cache, 'devcluster.lock'), 'bash', '-c', script], { timeout: 300_000 });
  await untilClusterDnsResynced(cluster.kc.makeApiClient(CoreV1Api));
}

async function whileRestarting<T>(fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await sleep(1000);
    }
  }
}

async function untilClusterDnsResynced(core: CoreV1Api, timeoutMs = 120_000): Promise<void> {
  const dnsIp = (await whileRestarting(() => core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' }))).spec!.clusterIP!;
  const name = `fd-resync-${Math.random().toString(36).slice(2, 8)}`;
  const svc = await whileRestarting(() => core.createNamespacedService({ namespace: 'default', body: { metadata: { name }, spec: { ports: [{ port: 80 }] } } }));
  const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dnsIp]);
  const end = Date.now() + timeoutMs;
  try {
    for (;;) {
      const ips: string[] = await resolver.resolve4(`${name}.default.svc.cluster.local`).catch(() => []);
      if (ips.includes(svc.spec!.clusterIP!)) return;
      if (Date.now() > end) throw new Error(`cluster DNS (${dnsIp}) did not resolve a new Service within ${timeoutMs / 1000} s of the API server restart`);
      await sleep(250);
    }
  } finally {
    await core.deleteNamespacedService({ name, namespace: 'default' }).catch(() => undefined);
  }
}
