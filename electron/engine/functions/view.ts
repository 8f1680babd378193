import type { KubeConfig, V1CronJob, V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import { collections, listObjects } from '../deploy/kube-ops';
import { watchCollection } from '../kube/watch';
import type { ClusterView } from './state';

/** Everything status is computed from, listed once. */
export async function listView(kc: KubeConfig, ns: string, labelSelector: string): Promise<ClusterView> {
  const c = collections(ns);
  const [deployments, pods, services, cronjobs] = await Promise.all([
    listObjects<V1Deployment>(kc, c.deployments, labelSelector),
    listObjects<V1Pod>(kc, c.pods, labelSelector),
    listObjects<V1Service>(kc, c.services, labelSelector),
    listObjects<V1CronJob>(kc, c.cronjobs, labelSelector),
  ]);
  return { deployments, pods, services, cronjobs };
}

/**
 * The same view, kept current by four watches (not polling). `onView` runs once all four have
 * listed, then at most every `throttleMs`. Resolves when `signal` aborts; rejects on a permanent error.
 */
export async function watchView(kc: KubeConfig, ns: string, labelSelector: string, signal: AbortSignal, onView: (v: ClusterView) => void, throttleMs = 250): Promise<void> {
  const c = collections(ns);
  const view: ClusterView = { deployments: [], pods: [], services: [], cronjobs: [] };
  const listed = new Set<keyof ClusterView>();
  let timer: NodeJS.Timeout | null = null;
  let lastEmit = 0;
  const emit = () => {
    timer = null;
    lastEmit = Date.now();
    if (!signal.aborted) onView({ ...view });
  };
  const changed = (key: keyof ClusterView) => (items: unknown[]) => {
    (view as unknown as Record<string, unknown[]>)[key] = items;
    listed.add(key);
    if (listed.size < 4 || timer) return;
    timer = setTimeout(emit, Math.max(0, throttleMs - (Date.now() - lastEmit)));
  };
  signal.addEventListener('abort', () => timer && clearTimeout(timer), { once: true });
  const opts = { signal, batchMs: 50 };
  await Promise.all([
    watchCollection(kc, { ...c.deployments, labelSelector }, { ...opts, onBatch: changed('deployments') }),
    watchCollection(kc, { ...c.pods, labelSelector }, { ...opts, onBatch: changed('pods') }),
    watchCollection(kc, { ...c.services, labelSelector }, { ...opts, onBatch: changed('services') }),
    watchCollection(kc, { ...c.cronjobs, labelSelector }, { ...opts, onBatch: changed('cronjobs') }),
  ]);
}
