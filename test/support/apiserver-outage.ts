// API server outages on the dev cluster for the integration and e2e tests: the stop script, and the
// waits that let the tests after an outage find a whole cluster again.
import type { CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import dns from 'node:dns/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where the dev cluster keeps the API server's pid, and the lock cluster.sh takes for up/down. */
export function devClusterPaths(env = process.env) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const cache = env.FUNCDECK_CACHE ?? path.join(os.homedir(), '.cache', 'funcdeck');
  return { repo, pidFile: path.join(cache, 'devcluster', 'pids', 'kube-apiserver.pid'), lock: path.join(cache, 'devcluster.lock') };
}

/**
 * A bash script that stops kube-apiserver (SIGTERM, as a restart does), writes the time it was gone
 * to `marker` (when given), waits `downMs` and starts it again with `start` (start.sh waits for
 * /readyz). However the script ends (a signal, a failed step), its EXIT trap
 * starts the API server again if it is not running: the cluster is shared and must not stay down.
 */
export function apiServerStopScript(o: { pidFile: string; start: string; downMs: number; marker?: string }): string {
  const startAgain = `[ -d "/proc/$(cat "${o.pidFile}")" ] || ${o.start}`;
  return [
    'set -e',
    `pid=$(cat "${o.pidFile}")`,
    `trap '${startAgain.replace(/'/g, `'\\''`)}' EXIT`,
    'kill -TERM "$pid"',
    'for i in $(seq 1 100); do [ -d "/proc/$pid" ] || break; sleep 0.1; done',
    ...(o.marker ? [`date +%s%3N > "${o.marker}"`] : []),
    ...(o.downMs > 0 ? [`sleep ${o.downMs / 1000}`] : []),
    o.start,
  ].join('\n');
}

/** Runs apiServerStopScript under cluster.sh's lock, so no up/down or other outage interleaves. */
export function runApiServerOutage(downMs: number, o: { marker?: string; timeoutMs?: number } = {}): Promise<unknown> {
  const { repo, pidFile, lock } = devClusterPaths();
  const script = apiServerStopScript({ pidFile, start: `bash "${repo}/test/devcluster/start.sh" kube-apiserver`, downMs, marker: o.marker });
  return promisify(execFile)('flock', ['-w', '600', lock, 'bash', '-c', script], { timeout: o.timeoutMs ?? 300_000 });
}

/**
 * Retries a setup call while the API server refuses connections (other tests restart the shared dev
 * cluster's API server, or the whole cluster, now and then); other errors fail at once.
 */
export async function whileRestarting<T>(fn: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      const text = String((e as Error)?.message ?? e);
      if (!/ECONNREFUSED|ECONNRESET|socket hang up|503|ServiceUnavailable/.test(text) || Date.now() > end) throw e;
      await sleep(1000);
    }
  }
}

/** How long CoreDNS gets to resync by itself (a single restart measured 30 s) before its pod is replaced. */
const DNS_PATIENCE_MS = 45_000;

/**
 * After an API server restart the cluster's own watchers (CoreDNS, kube-proxy, controllers) reconnect
 * with their own backoff, up to tens of seconds. The tests that run next must find a whole cluster,
 * so wait until a Service created now resolves through cluster DNS (queried from the host, at the
 * kube-dns Service address).
 */
export async function untilClusterDnsResynced(core: CoreV1Api, timeoutMs = 120_000): Promise<void> {
  const dnsIp = (await whileRestarting(() => core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' }))).spec!.clusterIP!;
  const name = `fd-resync-${Math.random().toString(36).slice(2, 8)}`;
  const svc = await whileRestarting(() => core.createNamespacedService({ namespace: 'default', body: { metadata: { name }, spec: { ports: [{ port: 80 }] } } }));
  const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dnsIp]);
  const start = Date.now();
  const end = start + timeoutMs;
  let replaced = false;
  try {
    for (;;) {
      const ips: string[] = await resolver.resolve4(`${name}.default.svc.cluster.local`).catch(() => []);
      if (ips.includes(svc.spec!.clusterIP!)) return;
      if (Date.now() > end) throw new Error(`cluster DNS (${dnsIp}) did not resolve a new Service within ${timeoutMs / 1000} s of the API server restart`);
      // CoreDNS's informers re-list with client-go's backoff, which grows with each failed attempt:
      // after restarts close together it measured up to ~60 s to notice the API server again. A fresh
      // CoreDNS pod lists at once, so the cluster is handed back whole to the tests that follow.
      if (!replaced && Date.now() - start > DNS_PATIENCE_MS) {
        replaced = true;
        console.warn(`cluster DNS had not resynced ${DNS_PATIENCE_MS / 1000} s after the API server restart; replacing the CoreDNS pod`);
        await core.deleteCollectionNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' }).catch(() => undefined);
      }
      await sleep(250);
    }
  } finally {
    await core.deleteNamespacedService({ name, namespace: 'default' }).catch(() => undefined);
  }
}
