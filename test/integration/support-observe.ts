import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { LABELS, MANAGED_BY, RUNTIME_PORTS } from '../../shared/contract';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import type { EngineContext } from '../../electron/engine/context';
import type { ClusterAccess, ClusterTarget } from '../../electron/engine/kube/access';
import { defaultEngineOptions } from '../../electron/engine/options';
import type { logsHandlers } from '../../electron/engine/logs/handlers';
import { LogsQueryParams, type LogLine } from '../../shared/contract/logs';
import { testCluster } from '../support/cluster-target';
import { devClusterPaths, runApiServerOutage, untilClusterDnsResynced as untilDnsResynced, whileRestarting } from '../support/apiserver-outage';

export { whileRestarting };

/**
 * Helpers for the invoke, logs and metrics integration tests: a namespace per file, a small
 * function-like workload (until the engine's deploy is used here), and an EngineContext whose
 * target the test can switch away from.
 */

export const cluster = testCluster();
export const core = cluster.kc.makeApiClient(CoreV1Api);
export const apps = cluster.kc.makeApiClient(AppsV1Api);

/** Creates an object, retrying through API server restarts; 409 means an earlier attempt got through. */
function create(fn: () => Promise<unknown>): Promise<unknown> {
  return whileRestarting(() =>
    fn().catch((e: { code?: number }) => {
      if (e.code !== 409) throw e;
    }),
  );
}

export async function createNamespace(area: string): Promise<string> {
  const name = `fd-it-${area}-${Math.random().toString(36).slice(2, 8)}`;
  await create(() => core.createNamespace({ body: { metadata: { name, labels: { [LABELS.managedBy]: MANAGED_BY } } } }));
  // The service account must exist before pods can be created in the namespace.
  for (let i = 0; i < 100; i++) {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      break;
    } catch {
      await sleep(100);
    }
  }
  return name;
}

export async function deleteNamespace(name: string): Promise<void> {
  await core.deleteNamespace({ name }).catch(() => undefined);
}

/**
 * The workload's server, run with `node -e`: the runtime protocol's headers and `[req <id>] `
 * log prefix, Prometheus metrics on RUNTIME_PORTS.metrics, and test endpoints:
 *   /echo          the request (method, path, query, headers, body as base64) as JSON
 *   /big?bytes=N   N bytes of text          /bin   256 binary bytes        /sleep?ms=N
 *   /status?code=N answers with that code   /print?n=N&tag=T  prints N numbered lines "T <i>"
 *   /ticker?rate=R&count=N&tag=T   prints N numbered lines at R lines/s, in the background
 */
export const SERVER_JS = String.raw`
const http = require('http');
const crypto = require('crypto');
const REV = process.env.FD_REVISION || '1';
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const byCode = new Map(); const counts = new Array(buckets.length).fill(0); let sum = 0, total = 0, inFlight = 0;
const started = Date.now() / 1000;
function observe(code, sec) {
  byCode.set(code, (byCode.get(code) || 0) + 1); total++; sum += sec;
  for (let i = 0; i < buckets.length; i++) if (sec <= buckets[i]) counts[i]++;
}
function ticker(rate, count, tag) {
  let i = 0; const t0 = Date.now();
  const step = () => {
    const due = Math.min(count, Math.floor((Date.now() - t0) / 1000 * rate) + 1);
    let out = '';
    while (i < due) { i++; out += tag + ' ' + i + '\n'; if (out.length > 65536) { process.stdout.write(out); out = ''; } }
    if (out) process.stdout.write(out);
    if (i < count) setTimeout(step, 5);
  };
  step();
}
http.createServer((req, res) => {
  const t0 = process.hrtime.bigint(); inFlight++;
  const id = crypto.randomBytes(6).toString('hex');
  const u = new URL(req.url, 'http://x');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    console.log('[req ' + id + '] handled ' + req.method + ' ' + u.pathname);
    const finish = (code, headers, payload) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      res.writeHead(code, Object.assign({ 'x-funcdeck-request-id': id, 'x-funcdeck-duration-ms': ms.toFixed(3), 'x-funcdeck-revision': REV }, headers));
      res.end(payload);
      inFlight--; observe(code, ms / 1000);
    };
    const q = u.searchParams;
    switch (u.pathname) {
      case '/echo': return finish(200, { 'content-type': 'application/json' }, JSON.stringify({ method: req.method, path: u.pathname, query: [...q.entries()], headers: req.headers, body: body.toString('base64') }));
      case '/big': return finish(200, { 'content-type': 'text/plain' }, Buffer.alloc(Number(q.get('bytes')), 'x'));
      case '/bin': return finish(200, { 'content-type': 'application/octet-stream' }, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
      case '/sleep': return setTimeout(() => finish(200, { 'content-type': 'text/plain' }, 'slept'), Number(q.get('ms')));
      case '/status': return finish(Number(q.get('code')), { 'content-type': 'text/plain' }, 'status ' + q.get('code'));
      case '/print': { let out = ''; for (let i = 1; i <= Number(q.get('n')); i++) out += '[req ' + id + '] ' + q.get('tag') + ' ' + i + '\n'; process.stdout.write(out); return finish(200, { 'content-type': 'text/plain' }, 'printed'); }
      case '/ticker': ticker(Number(q.get('rate')), Number(q.get('count')), q.get('tag')); return finish(202, { 'content-type': 'text/plain' }, 'started');
      default: return finish(200, { 'content-type': 'text/plain' }, 'hello from ' + REV);
    }
  });
}).listen(${RUNTIME_PORTS.http});
http.createServer((req, res) => {
  if (req.url === '/healthz' || req.url === '/readyz') return res.end('ok');
  const fnl = 'function="' + (process.env.FD_FUNCTION || '') + '"';
  let m = '# TYPE funcdeck_requests_total counter\n';
  for (const [c, n] of byCode) m += 'funcdeck_requests_total{' + fnl + ',code="' + c + '"} ' + n + '\n';
  m += '# TYPE funcdeck_request_duration_seconds histogram\n';
  buckets.forEach((b, i) => (m += 'funcdeck_request_duration_seconds_bucket{' + fnl + ',le="' + b + '"} ' + counts[i] + '\n'));
  m += 'funcdeck_request_duration_seconds_bucket{' + fnl + ',le="+Inf"} ' + total + '\n';
  m += 'funcdeck_request_duration_seconds_sum{' + fnl + '} ' + sum + '\nfuncdeck_request_duration_seconds_count{' + fnl + '} ' + total + '\n';
  m += '# TYPE funcdeck_requests_in_flight gauge\nfuncdeck_requests_in_flight{' + fnl + '} ' + inFlight + '\n';
  m += '# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds ' + started + '\n';
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(m);
}).listen(${RUNTIME_PORTS.metrics});
console.log('ready revision ' + REV);
process.on('SIGTERM', () => process.exit(0));
`;

export interface WorkloadOptions {
  replicas?: number;
  revision?: string;
}

/** A Deployment (one revision) and the function's Service, labelled like the engine's; waits until ready. */
export async function deployWorkload(namespace: string, fn: string, opts: WorkloadOptions = {}): Promise<void> {
  const revision = opts.revision ?? '1';
  const labels = { [LABELS.managedBy]: MANAGED_BY, [LABELS.function]: fn, [LABELS.revision]: revision };
  await create(() => apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: `${fn}-r${revision}`, labels },
      spec: {
        replicas: opts.replicas ?? 1,
        selector: { matchLabels: { [LABELS.function]: fn, [LABELS.revision]: revision } },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 2,
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            containers: [
              {
                name: 'function',
                image: cluster.images.nodejs,
                imagePullPolicy: 'IfNotPresent',
                command: ['node', '-e', SERVER_JS],
                env: [
                  { name: 'FD_REVISION', value: revision },
                  { name: 'FD_FUNCTION', value: fn },
                ],
                ports: [
                  { name: 'http', containerPort: RUNTIME_PORTS.http },
                  { name: 'metrics', containerPort: RUNTIME_PORTS.metrics },
                ],
                readinessProbe: { httpGet: { path: '/readyz', port: RUNTIME_PORTS.metrics }, periodSeconds: 1, initialDelaySeconds: 0 },
              },
            ],
          },
        },
      },
    },
  }));
  await create(() => core
    .createNamespacedService({
      namespace,
      body: {
        metadata: { name: fn, labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.function]: fn } },
        spec: { selector: { [LABELS.function]: fn }, ports: [{ name: 'http', port: 80, targetPort: RUNTIME_PORTS.http }] },
      },
    }));
  await waitReady(namespace, fn, opts.replicas ?? 1);
}

/** Waits until `count` pods of the function are Ready (and no other pod of it exists). */
export async function waitReady(namespace: string, fn: string, count: number, timeoutMs = 120_000): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    // Other tests restart the shared API server now and then: ride through refused connections.
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `${LABELS.function}=${fn}` }).catch(() => ({ items: [] as V1Pod[] }));
    const ready = pods.items.filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length === count && pods.items.length === count) return ready.map((p) => p.metadata!.name!);
    if (Date.now() > end) throw new Error(`${fn}: ${ready.length}/${count} pods ready after ${timeoutMs} ms`);
    await sleep(250);
  }
}

export interface TestEngine {
  ctx: EngineContext;
  dataDir: string;
  target: ClusterTarget;
  /** Aborts the target's signal, as a context switch does. */
  switchAway(): void;
  dispose(): Promise<void>;
}

/** An EngineContext on the test cluster and `namespace`, with its own data folder. */
export async function testEngine(namespace: string): Promise<TestEngine> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-it-data-'));
  const controller = new AbortController();
  const target: ClusterTarget = { context: cluster.context, namespace, flavor: cluster.devCluster ? 'funcdeck-dev' : 'other', kc: cluster.kc as KubeConfig, signal: controller.signal };
  const disposers: Array<() => Promise<void> | void> = [];
  const clusters: ClusterAccess = { target: () => target, onChange: () => () => undefined };
  const ctx: EngineContext = {
    options: { ...defaultEngineOptions('web', 'test', { HOME: os.tmpdir() }), dataDir },
    clusters,
    settings: { get: () => DEFAULT_SETTINGS, runtimeImages: async () => ({ ...cluster.images }) },
    onDispose: (fn) => void disposers.push(fn),
  };
  return {
    ctx,
    dataDir,
    target,
    switchAway: () => controller.abort(),
    async dispose() {
      controller.abort();
      for (const d of disposers) await d();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A stream handler's sink that records events and can be unsubscribed. */
export function recordingSink<E>() {
  const controller = new AbortController();
  const events: Array<{ at: number; event: E }> = [];
  const waiters: Array<() => void> = [];
  return {
    events,
    signal: controller.signal,
    emit(event: E) {
      events.push({ at: performance.now(), event });
      for (const w of waiters.splice(0)) w();
    },
    unsubscribe: () => controller.abort(),
    /** Resolves when `pred` holds over the events so far (checked on each event). */
    async until(pred: (events: E[]) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (!pred(events.map((e) => e.event))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, 200);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
  };
}

/**
 * Kills this process's TCP connections to the API server (as root, with `ss -K`): only sockets
 * whose owner is our pid, so other tests, the kubelet and controllers are untouched. Returns how many.
 */
export function killOwnApiConnections(): number {
  const port = apiPort();
  const mine = ownApiConnectionLines();
  let killed = 0;
  for (const line of mine) {
    const local = line.trim().split(/\s+/)[2]; // Recv-Q Send-Q Local Peer ...
    const lport = local?.split(':').pop();
    if (!lport) continue;
    execFileSync('ss', ['-K', 'dport', `= :${port}`, 'sport', `= :${lport}`], { stdio: 'ignore' });
    killed++;
  }
  return killed;
}

function apiPort(): string {
  const server = new URL(cluster.kc.getCurrentCluster()!.server);
  return server.port || '443';
}

function ownApiConnectionLines(): string[] {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', 'dport', `= :${apiPort()}`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(`pid=${process.pid},`));
}

/** How many TCP connections this process holds to the API server right now. */
export function ownApiConnections(): number {
  return ownApiConnectionLines().length;
}

/**
 * Restarts the dev cluster's kube-apiserver (TERM, then start.sh starts it again and waits for
 * /readyz), under cluster.sh's lock so it never races an up/down. Dev cluster only.
 */
export async function restartDevApiServer(): Promise<void> {
  if (!cluster.devCluster) throw new Error('restartDevApiServer needs the dev cluster');
  // Asynchronous, so the engine under test lives through the outage (refused connections, retries).
  await runApiServerOutage(0, { timeoutMs: 180_000 });
  await untilClusterDnsResynced();
}

function devClusterOnly() {
  if (!cluster.devCluster) throw new Error('API server outages need the dev cluster');
  return devClusterPaths();
}

/** Resolves with the time (ms since epoch) written to `file` by an outage script, once it exists. */
async function markerTime(file: string, timeoutMs = 600_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    if (text.trim()) return Number(text.trim());
    if (Date.now() > end) throw new Error(`the outage did not begin within ${timeoutMs / 1000} s (waiting for the cluster lock?)`);
    await sleep(50);
  }
}

/**
 * Stops the dev cluster's kube-apiserver for `downMs`, then starts it again (start.sh waits for
 * /readyz), all under cluster.sh's lock. `down` resolves when it is gone (ms since epoch); `back`
 * when it is ready again, followed by cluster DNS (see restartDevApiServer).
 */
export function stopDevApiServerFor(downMs: number): { down: Promise<number>; back: Promise<void> } {
  devClusterOnly();
  const marker = path.join(os.tmpdir(), `fd-outage-${process.pid}-${Date.now()}`);
  const run = runApiServerOutage(downMs, { marker });
  const down = markerTime(marker);
  const back = run.then(async () => {
    await fs.rm(marker, { force: true });
    await untilClusterDnsResynced();
  });
  back.catch(() => undefined);
  return { down, back };
}

/**
 * Freezes the dev cluster's kube-apiserver (SIGSTOP) for `frozenMs`, under cluster.sh's lock. The
 * script itself sends SIGCONT when it ends (trap on EXIT), and `thaw()` sends it at once too: call it
 * in a finally. `frozen` resolves when it is stopped (ms since epoch); `done` when it runs again.
 */
export function freezeDevApiServerFor(frozenMs: number): { frozen: Promise<number>; done: Promise<void>; thaw(): void } {
  const { pidFile, lock } = devClusterOnly();
  const marker = path.join(os.tmpdir(), `fd-freeze-${process.pid}-${Date.now()}`);
  const script = [
    'set -e',
    `pid=$(cat "${pidFile}")`,
    `trap 'kill -CONT "$pid"' EXIT`,
    'kill -STOP "$pid"',
    `date +%s%3N > "${marker}"`,
    `sleep ${frozenMs / 1000}`,
  ].join('\n');
  const run = promisify(execFile)('flock', ['-w', '600', lock, 'bash', '-c', script], { timeout: frozenMs + 600_000 });
  const thaw = () => {
    try {
      execFileSync('bash', ['-c', `kill -CONT "$(cat "${pidFile}")"`], { stdio: 'ignore' });
    } catch {
      // not running (or not frozen): nothing to do
    }
  };
  const done = run.then(
    () => fs.rm(marker, { force: true }),
    async (e: unknown) => {
      thaw();
      await fs.rm(marker, { force: true });
      throw e;
    },
  );
  done.catch(() => undefined);
  return { frozen: markerTime(marker), done, thaw };
}

/** Waits until cluster DNS resolves a new Service again after an API server restart (see test/support/apiserver-outage.ts). */
export function untilClusterDnsResynced(timeoutMs = 120_000): Promise<void> {
  return untilDnsResynced(core, timeoutMs);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every stored line of a function whose text contains `text`, oldest first, paging through the local store. */
export async function storedLines(logs: ReturnType<typeof logsHandlers>, fn: string, text: string): Promise<LogLine[]> {
  const out: LogLine[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await logs.calls['logs.query'](LogsQueryParams.parse({ function: fn, text, limit: 10_000, beforeSeq }));
    out.unshift(...page.lines);
    if (!page.more || page.lines.length === 0) return out;
    beforeSeq = page.lines[0]!.seq;
  }
}
