import type { KubeConfig } from '@kubernetes/client-node';
import { MANAGED_BY, LABELS, type NamespaceInfo } from '../../../shared/contract';
import { kubeJson } from '../kube/http';

interface NamespaceObject {
  metadata?: { name?: string; creationTimestamp?: string };
  status?: { phase?: string };
}

const toInfo = (ns: NamespaceObject): NamespaceInfo => ({
  name: ns.metadata?.name ?? '',
  phase: ns.status?.phase ?? 'Active',
  createdAt: ns.metadata?.creationTimestamp ?? null,
});

export async function listNamespaces(kc: KubeConfig, signal?: AbortSignal): Promise<NamespaceInfo[]> {
  const list = await kubeJson<{ items?: NamespaceObject[] }>(
    kc,
    { path: '/api/v1/namespaces', timeoutMs: 15_000, signal },
    { verb: 'list', resource: 'namespaces' },
  );
  return (list.items ?? []).map(toInfo).sort((a, b) => a.name.localeCompare(b.name));
}

export async function createNamespace(kc: KubeConfig, name: string, signal?: AbortSignal): Promise<NamespaceInfo> {
  const created = await kubeJson<NamespaceObject>(
    kc,
    {
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [LABELS.managedBy]: MANAGED_BY } } },
      timeoutMs: 15_000,
      signal,
    },
    { verb: 'create', resource: 'namespaces' },
  );
  return toInfo(created);
}
