import { AppsV1Api, type V1Pod } from '@kubernetes/client-node';
import { RUNTIME_HEADERS, TRAFFIC_HEADERS } from '../../shared/contract/runtime-protocol';
import { GATEWAY_NAME, routerSelector } from '../../electron/engine/gateway/manifests';
import { kubeJson } from '../../electron/engine/kube/http';
import { InvokeRequest, type InvokeResult } from '../../shared/contract/invoke';
import { invokeHandlers } from '../../electron/engine/invoke/handlers';
import { cluster, core, createNamespace, deleteNamespace, harness, invoke, sleep, type FunctionsHarness } from './support-functions';

/**
 * Helpers for the namespace gateway's integration tests: a steady request loop that records every
 * call, calls from inside the cluster (through the function's DNS name), and the gateway's pods.
 */
export const apps = cluster.kc.makeApiClient(AppsV1Api);

/** What each gateway suite opens first: a namespace of its own, a functions harness there and the engine's invoke.send. */
export interface GatewaySuite {
  ns: string;
  h: FunctionsHarness;
  send(req: unknown): Promise<InvokeResult>;
  close(): Promise<void>;
}

export async function openGatewaySuite(prefix: string): Promise<GatewaySuite> {
  const ns = await createNamespace(prefix);
  const h = harness(ns);
  const calls = invokeHandlers(h.ctx).calls;
  return {
    ns,
    h,
    send: (req) => calls['invoke.send'](InvokeRequest.parse(req)),
    close: async () => {
      await h.dispose();
      await deleteNamespace(ns);
    },
  };
}

/** A patch as a person's kubectl would send it (another field manager than Funcdeck); strategic merges lists by name. */
export function mergePatch(path: string, body: unknown, type: 'merge' | 'strategic' = 'merge'): Promise<unknown> {
  const contentType = type === 'merge' ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json';
  return kubeJson(cluster.kc, { method: 'PATCH', path, query: { fieldManager: 'kubectl-test' }, headers: { 'Content-Type': contentType }, body, timeoutMs: 20_000 }, { verb: 'patch', resource: 'test' });
}

export interface LoopCall {
  /** ms since the loop started, when the call was sent and answered. */
  sent: number;
  done: number;
  status: number | null;
  text: string;
  revision: string | null;
  error: string | null;
  gateway: string | null;
}

/**
 * Calls the function through the API server's service proxy, one call after another (or `parallel`
 * at a time), until stopped. Nothing is retried: every failure is recorded.
 */
export function steadyLoop(ns: string, fn: string, opts: { parallel?: number; headers?: Record<string, string>; timeoutMs?: number } = {}) {
  const t0 = performance.now();
  const calls: LoopCall[] = [];
  let running = true;
  const worker = async () => {
    while (running) {
      const sent = performance.now() - t0;
      try {
        const r = await invoke(ns, fn, { headers: opts.headers, timeoutMs: opts.timeoutMs ?? 15_000 });
        calls.push({ sent, done: performance.now() - t0, status: r.status, text: r.text, revision: (r.headers[RUNTIME_HEADERS.revision] as string) ?? null, error: null, gateway: (r.headers[TRAFFIC_HEADERS.gateway] as string) ?? null });
      } catch (e) {
        calls.push({ sent, done: performance.now() - t0, status: null, text: '', revision: null, error: (e as Error).message, gateway: null });
        await sleep(20);
      }
    }
  };
  const workers = Array.from({ length: opts.parallel ?? 1 }, worker);
  return {
    calls,
    /** ms since the loop started. */
    now: () => performance.now() - t0,
    async stop(): Promise<LoopCall[]> {
      running = false;
      await Promise.all(workers);
      return calls;
    },
  };
}

export const failures = (calls: LoopCall[]) => calls.filter((c) => c.error !== null || c.status === null || c.status >= 400);

/** Counts answers by body text. */
export function tally(texts: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of texts) out[t] = (out[t] ?? 0) + 1;
  return out;
}

/** Sends `n` calls, `parallel` at a time, and returns the answers. */
export async function invokeMany(ns: string, fn: string, n: number, parallel = 4, headers?: Record<string, string>) {
  const out: Array<Awaited<ReturnType<typeof invoke>>> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        next++;
        out.push(await invoke(ns, fn, { headers, timeoutMs: 30_000 }));
      }
    }),
  );
  return out;
}

/** Runs a Node script in a pod of the namespace (no ServiceAccount token) and returns what it printed. */
export async function runInside(ns: string, script: string): Promise<string> {
  const name = `caller-${Math.random().toString(36).slice(2, 7)}`;
  await core.createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        containers: [{ name: 'caller', image: cluster.images.nodejs, imagePullPolicy: 'IfNotPresent', command: ['node', '-e', script] }],
      },
    },
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const p = await core.readNamespacedPod({ name, namespace: ns });
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') break;
    if (Date.now() > deadline) throw new Error(`in-cluster caller ${name} did not finish: ${p.status?.phase}`);
    await sleep(300);
  }
  const log = await core.readNamespacedPodLog({ name, namespace: ns });
  await core.deleteNamespacedPod({ name, namespace: ns, gracePeriodSeconds: 0 }).catch(() => undefined);
  return log;
}

/**
 * Runs `calls` GETs of http://<fn>.<ns>.svc/ from a pod in the namespace (as any in-cluster caller
 * would, through cluster DNS and kube-proxy) and returns the answers' bodies counted, plus errors.
 */
export async function callsFromInside(ns: string, fn: string, calls: number, headers: Record<string, string> = {}): Promise<Record<string, number>> {
  const script = `
const http = require('http'); const c = {};
const one = () => new Promise((r) => http.get({ host: '${fn}.${ns}.svc', path: '/', headers: ${JSON.stringify(headers)}, timeout: 20000 }, (res) => {
  let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => { const k = res.statusCode + ' ' + b.trim(); c[k] = (c[k] || 0) + 1; r(); });
}).on('error', (e) => { c['error ' + e.code] = (c['error ' + e.code] || 0) + 1; r(); }));
(async () => { for (let i = 0; i < ${calls}; i++) await one(); console.log('RESULT ' + JSON.stringify(c)); })();`;
  const log = await runInside(ns, script);
  const line = log.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`in-cluster caller printed no result: ${log.slice(0, 500)}`);
  const raw = JSON.parse(line.slice(7)) as Record<string, number>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/^200 /, ''), v]));
}

export async function gatewayPods(ns: string): Promise<V1Pod[]> {
  const list = await core.listNamespacedPod({ namespace: ns, labelSelector: routerSelector() });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

export const isReady = (p: V1Pod) => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** Waits until the gateway Deployment has exactly `n` ready, up-to-date pods and no others. */
export async function gatewaySettled(ns: string, timeoutMs = 120_000): Promise<V1Pod[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dep = await apps.readNamespacedDeployment({ name: GATEWAY_NAME, namespace: ns });
    const all = (await core.listNamespacedPod({ namespace: ns, labelSelector: routerSelector() })).items;
    const st = dep.status ?? {};
    if ((st.observedGeneration ?? 0) >= (dep.metadata?.generation ?? 1) && st.updatedReplicas === 1 && st.availableReplicas === 1 && (st.replicas ?? 0) === 1 && all.length === 1 && isReady(all[0]!)) return all;
    if (Date.now() > deadline) throw new Error(`gateway did not settle: ${JSON.stringify(st)}, ${all.length} pod(s)`);
    await sleep(250);
  }
}
