import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { kubeJson, kubeRequest } from '../kube/http';

/** Reads of the cluster. Writes go through owned-writes.ts, which never touches what is not Funcdeck's. */

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
    serviceaccounts: { path: `/api/v1/namespaces/${n}/serviceaccounts`, resource: 'serviceaccounts', namespace: ns },
    secrets: { path: `/api/v1/namespaces/${n}/secrets`, resource: 'secrets', namespace: ns },
    roles: { path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${n}/roles`, resource: 'roles', namespace: ns },
    rolebindings: { path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${n}/rolebindings`, resource: 'rolebindings', namespace: ns },
    endpointslices: { path: `/apis/discovery.k8s.io/v1/namespaces/${n}/endpointslices`, resource: 'endpointslices', namespace: ns },
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

/** The last lines a container printed (its previous run when `previous`), or [] when there are none. */
export async function lastLogLines(kc: KubeConfig, ns: string, pod: string, container: string, previous: boolean, lines = 30): Promise<string[]> {
  const fetchLog = async (prev: boolean) => {
    const res = await kubeRequest(kc, {
      path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/log`,
      query: { container, tailLines: lines, previous: prev ? 'true' : undefined },
      timeoutMs: 10_000,
    });
    if (res.status !== 200) return null;
    const text = res.body.toString('utf8');
    // The kubelet answers 200 with this text when the run the status named was already removed
    // (a crash-looping container replaced meanwhile): no lines from that run, try the other.
    if (/^unable to retrieve container logs for /.test(text)) return null;
    return text.split('\n').filter((l) => l.length > 0);
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
