import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { toFuncdeckError } from '../kube/errors';
import { kubeJson, kubeRequest, serverOf } from '../kube/http';

export const FIELD_MANAGER = 'funcdeck';

const objectApis = new WeakMap<KubeConfig, KubernetesObjectApi>();
/** One client per kubeconfig, so its API discovery (kind -> resource) is cached across applies. */
function objectApi(kc: KubeConfig): KubernetesObjectApi {
  let api = objectApis.get(kc);
  if (!api) {
    api = KubernetesObjectApi.makeApiClient(kc);
    objectApis.set(kc, api);
  }
  return api;
}

const resourceOf = (obj: KubernetesObject) => `${(obj.kind ?? 'object').toLowerCase()} "${obj.metadata?.name ?? ''}"`;

/** Server-side apply as the funcdeck field manager, taking over conflicting fields (the objects are ours). */
export async function applyObject<T extends KubernetesObject>(kc: KubeConfig, obj: T): Promise<T> {
  try {
    return (await objectApi(kc).patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)) as T;
  } catch (e) {
    throw toFuncdeckError(e, { verb: 'apply', resource: resourceOf(obj), namespace: obj.metadata?.namespace, server: serverOf(kc) });
  }
}

/** A JSON merge patch of a few fields (replica counts), leaving the applied manifest's ownership alone. */
export async function mergePatch<T extends KubernetesObject>(kc: KubeConfig, obj: T): Promise<T> {
  try {
    return (await objectApi(kc).patch(obj, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch)) as T;
  } catch (e) {
    throw toFuncdeckError(e, { verb: 'patch', resource: resourceOf(obj), namespace: obj.metadata?.namespace, server: serverOf(kc) });
  }
}

export interface Collection {
  /** e.g. /apis/apps/v1/namespaces/demo/deployments */
  path: string;
  resource: string;
  namespace: string;
}

export const collections = (ns: string) => {
  const n = encodeURIComponent(ns);
  return {
    deployments: { path: `/apis/apps/v1/namespaces/${n}/deployments`, resource: 'deployments', namespace: ns },
    configmaps: { path: `/api/v1/namespaces/${n}/configmaps`, resource: 'configmaps', namespace: ns },
    services: { path: `/api/v1/namespaces/${n}/services`, resource: 'services', namespace: ns },
    pods: { path: `/api/v1/namespaces/${n}/pods`, resource: 'pods', namespace: ns },
    replicasets: { path: `/apis/apps/v1/namespaces/${n}/replicasets`, resource: 'replicasets', namespace: ns },
    cronjobs: { path: `/apis/batch/v1/namespaces/${n}/cronjobs`, resource: 'cronjobs', namespace: ns },
    jobs: { path: `/apis/batch/v1/namespaces/${n}/jobs`, resource: 'jobs', namespace: ns },
  } satisfies Record<string, Collection>;
};

export async function listObjects<T>(kc: KubeConfig, c: Collection, labelSelector: string, signal?: AbortSignal): Promise<T[]> {
  const list = await kubeJson<{ items?: T[] }>(
    kc,
    { path: c.path, query: { labelSelector }, signal, timeoutMs: 20_000 },
    { verb: 'list', resource: c.resource, namespace: c.namespace },
  );
  return list.items ?? [];
}

export async function getObject<T>(kc: KubeConfig, c: Collection, name: string): Promise<T | null> {
  try {
    return await kubeJson<T>(kc, { path: `${c.path}/${encodeURIComponent(name)}`, timeoutMs: 20_000 }, { verb: 'get', resource: c.resource, namespace: c.namespace });
  } catch (e) {
    if (e instanceof FuncdeckError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

/** Deletes one object; a missing one counts as deleted. Dependents (ReplicaSets, pods) go in the background. */
export async function deleteObject(kc: KubeConfig, c: Collection, name: string): Promise<boolean> {
  try {
    await kubeJson(
      kc,
      { method: 'DELETE', path: `${c.path}/${encodeURIComponent(name)}`, query: { propagationPolicy: 'Background' }, timeoutMs: 20_000 },
      { verb: 'delete', resource: c.resource, namespace: c.namespace },
    );
    return true;
  } catch (e) {
    if (e instanceof FuncdeckError && e.code === 'NOT_FOUND') return false;
    throw e;
  }
}

/** The last lines a container printed (its previous run when `previous`), or [] when there are none. */
export async function lastLogLines(kc: KubeConfig, ns: string, pod: string, container: string, previous: boolean, lines = 30): Promise<string[]> {
  const fetchLog = async (prev: boolean) => {
    const res = await kubeRequest(kc, {
      path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/log`,
      query: { container, tailLines: lines, previous: prev ? 'true' : undefined },
      timeoutMs: 10_000,
    });
    return res.status === 200 ? res.body.toString('utf8').split('\n').filter((l) => l.length > 0) : null;
  };
  try {
    // The container may restart between reading its status and its log: then the other run has the lines.
    const first = await fetchLog(previous);
    if (first && first.length) return first;
    return (await fetchLog(!previous)) ?? first ?? [];
  } catch {
    return [];
  }
}
