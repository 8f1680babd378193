import type { FunctionSpec } from '../../../../shared/contract/functions';

/** The Secrets and ConfigMaps a spec reads: an export never carries their values, so the target needs them first. */
export function referencedObjects(spec: Pick<FunctionSpec, 'envFrom' | 'mounts'>): string[] {
  const refs = new Map<string, boolean>();
  for (const r of [...(spec.envFrom ?? []), ...(spec.mounts ?? [])]) {
    const key = `${r.from === 'secret' ? 'Secret' : 'ConfigMap'} ${r.name}`;
    refs.set(key, (refs.get(key) ?? true) && !!r.optional);
  }
  if (!refs.size) return [];
  const list = [...refs].map(([k, optional]) => `${k}${optional ? ' (optional)' : ''}`).join(', ');
  return [`It reads ${list}: create ${refs.size > 1 ? 'them' : 'it'} in the target namespace first (values are never exported).`];
}
