import type { KubeConfig, V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { FunctionSpecShape, type FunctionSpec } from '../../../shared/contract/functions';
import type { RevisionSource } from '../../../shared/contract/revisions';
import { ANNOTATIONS } from '../../../shared/contract/runtime-protocol';
import { collections, getObject } from '../deploy/kube-ops';
import type { StoredSpec } from '../deploy/manifests';
import { FD_ANNOTATIONS, revisionName } from '../deploy/names';
import { isOurs } from '../deploy/ownership';

/** The spec and sources of one revision, from its ConfigMap (the sources as written, not compiled). */
export async function readRevisionSource(kc: KubeConfig, ns: string, fn: string, revision: number): Promise<RevisionSource> {
  const c = collections(ns);
  const [cm, anyDep] = await Promise.all([getObject<V1ConfigMap>(kc, c.configmaps, revisionName(fn, revision)), getObject<V1Deployment>(kc, c.deployments, revisionName(fn, revision))]);
  const dep = anyDep && isOurs(anyDep, fn) ? anyDep : null;
  if (!cm || !isOurs(cm, fn)) throw new FuncdeckError('NOT_FOUND', `Revision ${revision} of ${fn} does not exist in namespace "${ns}" (it may have been garbage-collected).`);
  const data = cm.data ?? {};
  let stored: StoredSpec;
  try {
    stored = JSON.parse(data['spec.json'] ?? '') as StoredSpec;
  } catch {
    throw new FuncdeckError('NOT_FOUND', `Revision ${revision} of ${fn} has no readable spec; it was not made by this version of Funcdeck.`);
  }
  const files = stored.files.map((f) => ({ path: f.path, content: data[f.key] ?? '' }));
  let installed: RevisionSource['installed'] = null;
  try {
    const d = JSON.parse(data['dependencies.json'] ?? 'null') as { digest: string; bytes: number; packages: Array<{ name: string; version: string }> } | null;
    if (d) installed = { digest: d.digest, bytes: d.bytes, packages: d.packages };
  } catch {
    installed = null; // unreadable: shown as none rather than failing the whole source
  }
  const spec = FunctionSpecShape.parse({ ...stored, files }) as FunctionSpec;
  return {
    name: fn,
    revision,
    checksum: cm.metadata?.annotations?.[ANNOTATIONS.checksum] ?? '',
    // The image is the Deployment's (the ConfigMap holds only what the person wrote).
    image: dep?.metadata?.annotations?.[FD_ANNOTATIONS.image] ?? dep?.spec?.template?.spec?.containers?.[0]?.image ?? '',
    handler: spec.handler,
    files,
    dependencies: spec.dependencies,
    spec,
    installed,
  };
}
