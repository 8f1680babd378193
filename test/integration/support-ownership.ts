import { expect } from 'vitest';
import { LABELS, MANAGED_BY } from '../../shared/contract/runtime-protocol';
import { kubeJson } from '../../electron/engine/kube/http';
import { FuncdeckError } from '../../shared/contract/errors';
import { cluster, sleep } from './support-observe';

/**
 * Objects of people other than Funcdeck, for the ownership tests: created raw (JSON in, JSON out),
 * snapshotted whole, and compared byte for byte later.
 */

const PATHS: Record<string, (ns: string) => string> = {
  Service: (ns) => `/api/v1/namespaces/${ns}/services`,
  ConfigMap: (ns) => `/api/v1/namespaces/${ns}/configmaps`,
  Pod: (ns) => `/api/v1/namespaces/${ns}/pods`,
  Deployment: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`,
  CronJob: (ns) => `/apis/batch/v1/namespaces/${ns}/cronjobs`,
  Job: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`,
  ResourceQuota: (ns) => `/api/v1/namespaces/${ns}/resourcequotas`,
};

export interface RawObject {
  kind?: string;
  metadata: { name: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

const action = (kind: string, ns: string) => ({ verb: 'test', resource: kind, namespace: ns });

export async function createRaw(ns: string, kind: string, body: Record<string, unknown>): Promise<RawObject> {
  return kubeJson<RawObject>(cluster.kc, { method: 'POST', path: PATHS[kind]!(ns), body, timeoutMs: 20_000 }, action(kind, ns));
}

export async function getRaw(ns: string, kind: string, name: string): Promise<RawObject | null> {
  try {
    return await kubeJson<RawObject>(cluster.kc, { path: `${PATHS[kind]!(ns)}/${name}`, timeoutMs: 20_000 }, action(kind, ns));
  } catch (e) {
    if (e instanceof FuncdeckError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

export async function deleteRaw(ns: string, kind: string, name: string): Promise<void> {
  await kubeJson(cluster.kc, { method: 'DELETE', path: `${PATHS[kind]!(ns)}/${name}`, timeoutMs: 20_000 }, action(kind, ns));
  for (let i = 0; i < 200 && (await getRaw(ns, kind, name)); i++) await sleep(100);
}

/** Names of the objects of `kind` that carry Funcdeck's labels for `fn` (without those being deleted, with `terminating: false`). */
export async function funcdeckObjects(ns: string, kind: string, fn: string, opts: { terminating?: boolean } = {}): Promise<string[]> {
  const list = await kubeJson<{ items: RawObject[] }>(
    cluster.kc,
    { path: PATHS[kind]!(ns), query: { labelSelector: `${LABELS.managedBy}=${MANAGED_BY},${LABELS.function}=${fn}` }, timeoutMs: 20_000 },
    action(kind, ns),
  );
  return list.items.filter((o) => opts.terminating !== false || !o.metadata.deletionTimestamp).map((o) => o.metadata.name);
}

export async function allFuncdeckObjects(ns: string, fn: string): Promise<string[]> {
  const kinds = ['Service', 'ConfigMap', 'Deployment', 'CronJob', 'Job'];
  const names = await Promise.all(kinds.map(async (k) => (await funcdeckObjects(ns, k, fn)).map((n) => `${k}/${n}`)));
  return names.flat();
}

/** The object as the API server has it, once controllers stopped writing its status (same resourceVersion 1.5 s apart). */
export async function settledSnapshot(ns: string, kind: string, name: string): Promise<string> {
  let last = JSON.stringify(await getRaw(ns, kind, name));
  for (let i = 0; i < 40; i++) {
    await sleep(1500);
    const now = JSON.stringify(await getRaw(ns, kind, name));
    if (now === last) return now;
    last = now;
  }
  throw new Error(`${kind} ${name} kept changing`);
}

/** Every snapshotted object is byte for byte what it was (resourceVersion included). */
export async function expectUnchanged(ns: string, snapshots: Map<string, string>): Promise<void> {
  for (const [key, before] of snapshots) {
    const [kind, name] = key.split('/') as [string, string];
    const now = JSON.stringify(await getRaw(ns, kind, name));
    expect(now, `${key} changed`).toBe(before);
  }
}

export async function rejection(p: Promise<unknown>): Promise<FuncdeckError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FuncdeckError) return e;
    throw e;
  }
  throw new Error('expected a rejection, but the call succeeded');
}

/** A person's web app (not a function): a pod answering "user app" on a port named http. */
export const userWebPod = (name: string, app: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels: { app, ...labels } },
  spec: {
    terminationGracePeriodSeconds: 0,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    containers: [
      {
        name: 'web',
        image: cluster.images.nodejs,
        imagePullPolicy: 'IfNotPresent',
        command: ['node', '-e', "setInterval(() => console.log('USER-LOG-LINE'), 500); require('http').createServer((q, s) => s.end('user app')).listen(8080)"],
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
      },
    ],
  },
});

export const userService = (name: string, app: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels: { owner: 'someone-else', ...labels } },
  spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});
