import type { KubeConfig } from '@kubernetes/client-node';
import { LABELS } from '../../../shared/contract/runtime-protocol';
import { collections } from '../deploy/kube-ops';
import { functionLabels, functionSelector, revisionOf } from '../deploy/names';
import { deleteOwned, type Manifest } from '../deploy/owned-writes';
import { kubeJson } from '../kube/http';
import { PART_BYTES } from './limits';

/**
 * How dependencies reach the pod (README.md): the archive cut into parts of PART_BYTES, each the
 * binaryData of an immutable ConfigMap named by the archive's digest, so revisions with the same
 * install share them. The pod mounts them together (a projected volume) and the runtime server
 * unpacks them into an emptyDir at start: through the API server only, with no registry, whether
 * or not the app is running when the pod starts.
 */

export const DEPS_LABEL = 'funcdeck.dev/dependencies';
export const DEPS_ANNOTATION = 'funcdeck.dev/dependencies';
export const ARCHIVE_MOUNT = '/funcdeck/deps-archive';

/** What a revision ships: the archive (its bytes only while deploying) and the packages in it. */
export interface DeliveredDependencies {
  digest: string;
  bytes: number;
  unpackedBytes: number;
  /** The unpacked files in whole pages: what they take in the pod's memory-backed volume. */
  allocatedBytes: number;
  packages: Array<{ name: string; version: string }>;
  /** The archive itself; absent when read back from a revision. */
  gz?: Buffer;
}

const short = (digest: string) => digest.slice(0, 16);
export const partName = (fn: string, digest: string, i: number) => `${fn}-deps-${short(digest)}-${i}`;
export const partKey = (i: number) => `part-${String(i).padStart(3, '0')}`;
export const partCount = (bytes: number) => Math.max(1, Math.ceil(bytes / PART_BYTES));

/** The ConfigMaps holding the archive's parts, in order. */
export function dependencyParts(ns: string, fn: string, d: DeliveredDependencies): Manifest[] {
  if (!d.gz) throw new Error('dependency archive bytes missing');
  const n = partCount(d.gz.length);
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: partName(fn, d.digest, i),
      namespace: ns,
      labels: { ...functionLabels(fn), [DEPS_LABEL]: short(d.digest) },
      annotations: { [DEPS_ANNOTATION]: d.digest, 'funcdeck.dev/part': `${i + 1}/${n}` },
    },
    immutable: true,
    binaryData: { [partKey(i)]: d.gz!.subarray(i * PART_BYTES, (i + 1) * PART_BYTES).toString('base64') },
  }));
}

/** True for a manifest made by dependencyParts: equal names hold equal bytes, so an existing one needs no write. */
export const isDependencyPart = (m: Manifest) => m.kind === 'ConfigMap' && !!m.metadata?.labels?.[DEPS_LABEL];

/**
 * The memory the unpacked dependencies take in the pod, in MiB: they live in a memory-backed
 * emptyDir (unpacking thousands of small files onto the node's disk took seconds under load; into
 * memory, tens of milliseconds), which counts against the container's memory, so the container gets
 * this much on top of its size preset (the function keeps all of its own).
 */
export const unpackedMiB = (d: Pick<DeliveredDependencies, 'allocatedBytes'>) => Math.ceil((d.allocatedBytes * 1.1) / 2 ** 20) + 2;

/** Volumes, mounts and environment the function's container needs to unpack its dependencies. */
export function podDependencies(fn: string, d: DeliveredDependencies): {
  volumes: Array<Record<string, unknown>>;
  mounts: Array<{ name: string; mountPath: string; readOnly: boolean }>;
  env: Array<{ name: string; value: string }>;
  /** Memory (MiB) to add to the container's request and limit for the unpacked files. */
  memoryMiB: number;
} {
  const n = partCount(d.bytes);
  const memoryMiB = unpackedMiB(d);
  return {
    memoryMiB,
    volumes: [
      {
        name: 'deps-archive',
        projected: { sources: Array.from({ length: n }, (_, i) => ({ configMap: { name: partName(fn, d.digest, i), items: [{ key: partKey(i), path: partKey(i) }] } })) },
      },
      { name: 'deps', emptyDir: { medium: 'Memory', sizeLimit: `${memoryMiB}Mi` } },
    ],
    mounts: [{ name: 'deps-archive', mountPath: ARCHIVE_MOUNT, readOnly: true }],
    env: [
      { name: 'FUNCDECK_DEPS_ARCHIVE', value: ARCHIVE_MOUNT },
      { name: 'FUNCDECK_DEPS_DIGEST', value: d.digest },
    ],
  };
}

interface MetaItem {
  metadata?: { name?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string };
}
/** Names, labels and annotations only: listing the parts themselves would move megabytes. */
async function listMeta(kc: KubeConfig, ns: string, selector: string): Promise<MetaItem[]> {
  const c = collections(ns).configmaps;
  const list = await kubeJson<{ items?: MetaItem[] }>(
    kc,
    { path: c.path, query: { labelSelector: selector }, headers: { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' }, timeoutMs: 20_000 },
    { verb: 'list', resource: 'configmaps', namespace: ns },
  );
  return list.items ?? [];
}

/** Parts this young are kept even when no revision names them yet: a deploy may be between writing them and its revision. */
const YOUNG_MS = 5 * 60_000;

/**
 * Deletes the function's dependency parts that no revision ConfigMap of it refers to any more
 * (after revisions were garbage-collected). Returns the names deleted.
 */
export async function collectDependencyGarbage(kc: KubeConfig, ns: string, fn: string, now = Date.now()): Promise<string[]> {
  const items = await listMeta(kc, ns, functionSelector(fn));
  const used = new Set(items.filter((i) => revisionOf(i) !== null).map((i) => i.metadata?.annotations?.[DEPS_ANNOTATION]).filter(Boolean));
  const deleted: string[] = [];
  for (const item of items) {
    const digest = item.metadata?.annotations?.[DEPS_ANNOTATION];
    if (!item.metadata?.labels?.[DEPS_LABEL] || !digest || used.has(digest) || item.metadata.labels[LABELS.revision]) continue;
    if (now - Date.parse(item.metadata.creationTimestamp ?? '') < YOUNG_MS) continue;
    if ((await deleteOwned(kc, 'ConfigMap', fn, item as never).catch(() => 'failed')) === 'deleted') deleted.push(item.metadata.name ?? '');
  }
  return deleted;
}
