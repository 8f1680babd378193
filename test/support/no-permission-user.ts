import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { TestCluster } from './cluster-target';

export const NO_PERMISSION_CONTEXT = 'funcdeck-no-permission';

/**
 * A kubeconfig (as text) for a real user of the test cluster who may authenticate but do nothing
 * else: a ServiceAccount with no RoleBinding, and a short-lived token the API server issued for it.
 * The API server's own RBAC says no, so no-permission paths are tested without mocking anything.
 */
export async function noPermissionKubeconfig(cluster: TestCluster, namespace = 'default'): Promise<string> {
  const core = cluster.kc.makeApiClient(CoreV1Api);
  const name = 'funcdeck-e2e-no-permission';
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } }).catch((e: { code?: number }) => {
    if (e.code !== 409) throw e;
  });
  const req = await core.createNamespacedServiceAccountToken({ name, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = req.status?.token;
  if (!token) throw new Error(`the API server issued no token for ServiceAccount ${namespace}/${name}`);
  const source = cluster.kc.getCluster(cluster.kc.getContextObject(cluster.context)!.cluster)!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...source, name: 'test-cluster' }],
    users: [{ name, token }],
    contexts: [{ name: NO_PERMISSION_CONTEXT, cluster: 'test-cluster', user: name, namespace }],
    currentContext: NO_PERMISSION_CONTEXT,
  });
  return kc.exportConfig();
}
