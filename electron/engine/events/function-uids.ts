import type { KubeConfig } from '@kubernetes/client-node';
import { collections } from '../deploy/kube-ops';
import { functionSelector } from '../deploy/names';
import { watchCollection, type KubeObject } from '../kube/watch';

// Every kind a function's events are about: what the engine creates and what the cluster makes from it.
const KINDS = ['deployments', 'replicasets', 'pods', 'services', 'cronjobs', 'jobs'] as const;

/**
 * The uids of a function's objects (both Funcdeck labels), kept current by watches. A uid stays in
 * the set after its object is gone, so the events of a pod that was scaled down still show.
 * `onChange` runs once every kind has listed, then whenever a new uid appears. Resolves when `signal` aborts.
 */
export async function watchFunctionUids(kc: KubeConfig, ns: string, fn: string, signal: AbortSignal, onChange: (uids: ReadonlySet<string>) => void): Promise<void> {
  const uids = new Set<string>();
  const listed = new Set<string>();
  const c = collections(ns);
  await Promise.all(
    KINDS.map((kind) =>
      watchCollection<KubeObject>(
        kc,
        { ...c[kind], labelSelector: functionSelector(fn) },
        {
          signal,
          batchMs: 100,
          onBatch(items) {
            const before = uids.size;
            for (const o of items) if (o.metadata?.uid) uids.add(o.metadata.uid);
            const first = !listed.has(kind);
            listed.add(kind);
            if (listed.size === KINDS.length && (first || uids.size !== before)) onChange(uids);
          },
        },
      ),
    ),
  );
}
