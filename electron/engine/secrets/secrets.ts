import type { KubeConfig, V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { MAX_SECRET_BYTES, type RefTargets, type SecretEntry, type SecretInfo } from '../../../shared/contract/secrets';
import { LABELS, MANAGED_BY } from '../../../shared/contract/runtime-protocol';
import { collections, getObject, listObjects } from '../deploy/kube-ops';
import { functionLabels } from '../deploy/names';
import { applyOwned, deleteOwnedByName, type Manifest } from '../deploy/owned-writes';
import { foreignObject, isOurs, notOwnedError } from '../deploy/ownership';

/**
 * A function's Secrets: labelled as Funcdeck's for that function and written only through
 * owned-writes, so a Secret of the same name that is someone else's is never changed or read out.
 * Values pass through here in memory only; nothing in this module logs or stores them.
 */

const sortedKeys = (data: Record<string, string> | undefined) => Object.keys(data ?? {}).sort();

/** Names and keys of the namespace's Secrets and ConfigMaps, for picking references. */
export async function listTargets(kc: KubeConfig, ns: string, fn: string): Promise<RefTargets> {
  const c = collections(ns);
  const [secrets, configMaps] = await Promise.all([listObjects<V1Secret>(kc, c.secrets, ''), listObjects<V1ConfigMap>(kc, c.configmaps, '')]);
  return {
    namespace: ns,
    secrets: secrets
      // Service-account tokens and Helm's release records are not things a function reads.
      .filter((s) => s.type !== 'kubernetes.io/service-account-token' && s.type !== 'helm.sh/release.v1')
      .map((s) => ({ name: s.metadata?.name ?? '', keys: sortedKeys(s.data), ours: isOurs(s, fn) }))
      .sort((a, b) => Number(b.ours) - Number(a.ours) || a.name.localeCompare(b.name)),
    configMaps: configMaps
      .filter((m) => m.metadata?.labels?.[LABELS.managedBy] !== MANAGED_BY && m.metadata?.name !== 'kube-root-ca.crt')
      .map((m) => ({ name: m.metadata?.name ?? '', keys: [...sortedKeys(m.data), ...sortedKeys(m.binaryData)].sort() }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

async function readOurSecret(kc: KubeConfig, ns: string, fn: string, name: string, doing: string): Promise<V1Secret | null> {
  const found = await getObject<V1Secret>(kc, collections(ns).secrets, name);
  if (found && !isOurs(found, fn)) throw notOwnedError(doing, fn, [foreignObject('Secret', ns, found, fn)]);
  return found;
}

export async function revealValue(kc: KubeConfig, ns: string, fn: string, name: string, key: string): Promise<{ value: string; encoding: 'utf8' | 'base64' }> {
  const secret = await readOurSecret(kc, ns, fn, name, `show a value of Secret "${name}"`);
  const encoded = secret?.data?.[key];
  if (encoded === undefined) throw new FuncdeckError('NOT_FOUND', `Secret "${name}" of ${fn} has no key "${key}" in namespace "${ns}".`);
  const bytes = Buffer.from(encoded, 'base64');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return Buffer.from(text, 'utf8').equals(bytes) ? { value: text, encoding: 'utf8' } : { value: encoded, encoding: 'base64' };
}

/** The Secret as applied: this function's labels, an Opaque type, the values base64-encoded. */
export function secretManifest(ns: string, fn: string, name: string, data: Record<string, string>): Manifest & { type: string; data: Record<string, string> } {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns, labels: functionLabels(fn) }, type: 'Opaque', data };
}

/** Creates or replaces the Secret with exactly `entries`; an entry without a value keeps the one it has. */
export async function saveSecret(kc: KubeConfig, ns: string, fn: string, name: string, entries: SecretEntry[]): Promise<SecretInfo> {
  const current = await readOurSecret(kc, ns, fn, name, `save Secret "${name}" for function "${fn}"`);
  const data: Record<string, string> = {};
  let bytes = 0;
  for (const e of entries) {
    const kept = current?.data?.[e.key];
    if (e.value === undefined && kept === undefined) {
      throw new FuncdeckError('INVALID_SPEC', `"${e.key}" is new in Secret "${name}": give it a value.`, { issues: [{ path: e.key, message: 'Give a value.' }] });
    }
    data[e.key] = e.value === undefined ? kept! : Buffer.from(e.value, 'utf8').toString('base64');
    bytes += Buffer.byteLength(data[e.key]!, 'base64');
  }
  if (bytes > MAX_SECRET_BYTES) throw new FuncdeckError('INVALID_SPEC', `Secret "${name}" would hold ${Math.ceil(bytes / 1024)} KB; Kubernetes keeps at most 1 MiB in one Secret. Split it.`);
  const applied = await applyOwned<V1Secret>(kc, secretManifest(ns, fn, name, data));
  return { name, keys: sortedKeys(applied.data), ours: true };
}

export async function deleteSecret(kc: KubeConfig, ns: string, fn: string, name: string): Promise<boolean> {
  const outcome = await deleteOwnedByName(kc, 'Secret', ns, name, fn);
  if (outcome === 'foreign') {
    const found = await getObject<V1Secret>(kc, collections(ns).secrets, name);
    if (found) throw notOwnedError(`delete Secret "${name}"`, fn, [foreignObject('Secret', ns, found, fn)]);
  }
  return outcome === 'deleted';
}
