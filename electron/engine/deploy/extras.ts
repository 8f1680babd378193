import { effectiveResources, envSourceVariable, isFuncdeckKey } from '../../../shared/contract/function-extras';
import { SIZE_PRESETS, type FunctionSpec } from '../../../shared/contract/functions';

/**
 * How the spec's extras (function-extras.ts) become parts of the objects manifests.ts builds:
 * the person's labels and annotations beside Funcdeck's own (which always win and are never in a
 * selector twice), Secret and ConfigMap references as env and volumes, and the container's resources.
 */

export interface ObjectMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** On a revision's Deployment: the labels and annotations its spec gave, so the Service can carry them while it serves. */
export const OBJECT_METADATA_ANNOTATION = 'funcdeck.dev/object-metadata';

/** The person's labels and annotations, without any key of Funcdeck's (the contract refuses those; this is the second lock). */
export function objectMetadata(spec: Pick<FunctionSpec, 'labels' | 'annotations'>): ObjectMetadata {
  const clean = (m: Record<string, string> | undefined) => Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !isFuncdeckKey(k)));
  return { labels: clean(spec.labels), annotations: clean(spec.annotations) };
}

/** `ours` over `theirs`: Funcdeck's keys win, whatever the spec said. */
export const merged = (theirs: Record<string, string>, ours: Record<string, string>): Record<string, string> => ({ ...theirs, ...ours });

/** The object metadata a revision Deployment recorded (empty when none or unreadable). */
export function objectMetadataOf(dep: { metadata?: { annotations?: Record<string, string> } } | undefined): ObjectMetadata {
  try {
    const parsed = JSON.parse(dep?.metadata?.annotations?.[OBJECT_METADATA_ANNOTATION] ?? '{}') as Partial<ObjectMetadata>;
    return objectMetadata({ labels: parsed.labels ?? {}, annotations: parsed.annotations ?? {} });
  } catch {
    return { labels: {}, annotations: {} };
  }
}

/** The annotation recording it, or nothing when the spec has no labels or annotations. */
export function objectMetadataAnnotation(meta: ObjectMetadata): Record<string, string> {
  if (!Object.keys(meta.labels).length && !Object.keys(meta.annotations).length) return {};
  return { [OBJECT_METADATA_ANNOTATION]: JSON.stringify(meta) };
}

const refKey = (from: 'secret' | 'configMap') => (from === 'secret' ? 'secretKeyRef' : 'configMapKeyRef');

/** Single-key references as env entries (after the spec's own values). */
export function referenceEnv(spec: FunctionSpec): Array<{ name: string; valueFrom: Record<string, unknown> }> {
  return (spec.envFrom ?? []).flatMap((s) => {
    const variable = envSourceVariable(s);
    if (variable === null) return [];
    return [{ name: variable, valueFrom: { [refKey(s.from)]: { name: s.name, key: s.key, ...(s.optional ? { optional: true } : {}) } } }];
  });
}

/** Whole-object references as the container's envFrom. */
export function referenceEnvFrom(spec: FunctionSpec): Array<Record<string, unknown>> {
  return (spec.envFrom ?? [])
    .filter((s) => s.key === undefined)
    .map((s) => ({
      ...(s.prefix ? { prefix: s.prefix } : {}),
      [s.from === 'secret' ? 'secretRef' : 'configMapRef']: { name: s.name, ...(s.optional ? { optional: true } : {}) },
    }));
}

const mountVolume = (i: number) => `mount-${i}`;

export function referenceVolumes(spec: FunctionSpec): Array<Record<string, unknown>> {
  return (spec.mounts ?? []).map((m, i) =>
    m.from === 'secret'
      ? { name: mountVolume(i), secret: { secretName: m.name, ...(m.optional ? { optional: true } : {}) } }
      : { name: mountVolume(i), configMap: { name: m.name, ...(m.optional ? { optional: true } : {}) } },
  );
}

export function referenceMounts(spec: FunctionSpec): Array<{ name: string; mountPath: string; readOnly: boolean }> {
  return (spec.mounts ?? []).map((m, i) => ({ name: mountVolume(i), mountPath: m.path, readOnly: true }));
}

/** The function container's requests and limits: the size preset with the spec's exact values over it. */
export function containerResources(spec: Pick<FunctionSpec, 'size' | 'resources'>) {
  return effectiveResources(SIZE_PRESETS[spec.size], spec.resources);
}

/**
 * Leaves out extras that say nothing (empty maps and lists, empty resources), so a spec without them
 * keeps the checksum it had before these fields existed and an empty field makes no new revision.
 */
export function normalizeExtras(spec: FunctionSpec): FunctionSpec {
  const out: FunctionSpec = { ...spec };
  if (out.labels && !Object.keys(out.labels).length) delete out.labels;
  if (out.annotations && !Object.keys(out.annotations).length) delete out.annotations;
  if (out.envFrom && !out.envFrom.length) delete out.envFrom;
  if (out.mounts && !out.mounts.length) delete out.mounts;
  if (out.resources) {
    const part = (v: { cpu?: string | undefined; memory?: string | undefined } | undefined) =>
      v && (v.cpu || v.memory) ? { ...(v.cpu ? { cpu: v.cpu } : {}), ...(v.memory ? { memory: v.memory } : {}) } : undefined;
    const requests = part(out.resources.requests);
    const limits = part(out.resources.limits);
    if (!requests && !limits) delete out.resources;
    else out.resources = { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
  }
  return out;
}
