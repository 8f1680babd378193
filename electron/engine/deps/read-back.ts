import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { collections, getObject } from '../deploy/kube-ops';
import { revisionName } from '../deploy/names';
import { isOurs } from '../deploy/ownership';
import { partCount, partKey, partName, type DeliveredDependencies } from './delivery';

/**
 * A deployed revision's dependencies with their archive bytes, read back from the cluster (its
 * ConfigMap's dependencies.json and the parts it names): what an export carries so the exported
 * function starts with the same packages. Null when the revision has none.
 */
export async function readDeliveredDependencies(kc: KubeConfig, ns: string, fn: string, revision: number): Promise<DeliveredDependencies | null> {
  const c = collections(ns);
  const cm = await getObject<V1ConfigMap>(kc, c.configmaps, revisionName(fn, revision));
  if (!cm || !isOurs(cm, fn)) return null;
  const raw = cm.data?.['dependencies.json'];
  if (!raw) return null;
  const d = JSON.parse(raw) as Omit<DeliveredDependencies, 'gz'>;
  const n = partCount(d.bytes);
  const parts = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const part = await getObject<V1ConfigMap>(kc, c.configmaps, partName(fn, d.digest, i));
      const b64 = part && isOurs(part, fn) ? part.binaryData?.[partKey(i)] : undefined;
      if (b64 === undefined) {
        throw new FuncdeckError('NOT_FOUND', `Revision ${revision} of ${fn} names dependency archive part ${partName(fn, d.digest, i)}, which is missing from namespace "${ns}"; deploy the function again to ship its dependencies anew.`);
      }
      return Buffer.from(b64, 'base64');
    }),
  );
  const gz = Buffer.concat(parts);
  if (gz.length !== d.bytes) throw new FuncdeckError('NOT_FOUND', `The dependency archive of revision ${revision} of ${fn} has ${gz.length} bytes, not the ${d.bytes} it recorded; deploy the function again.`);
  return { ...d, gz };
}
