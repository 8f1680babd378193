import { isFuncdeckKey, mountPathProblem, type EnvSource, type ExactResources, type FileMount } from '../../../../shared/contract/function-extras';
import type { EnvVar } from '../../../../shared/contract/functions';
import type { NotCarried } from '../../../../shared/contract/interop';
import type { FieldReader, Json } from './reader';

/**
 * What a kubeless Function's `spec.deployment` (a Deployment template the controller merged into
 * the one it made) says that Funcdeck's spec can hold: the first container's env, resources, image
 * and Secret/ConfigMap volumes, replicas and the pod's labels and annotations.
 */

export interface DeploymentParts {
  env: EnvVar[];
  envFrom: EnvSource[];
  mounts: FileMount[];
  resources: ExactResources | undefined;
  image: string | undefined;
  replicas: number | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  notCarried: NotCarried[];
  warnings: string[];
}

const D = 'spec.deployment';
const POD = `${D}.spec.template.spec`;
const C0 = `${POD}.containers.0`;
const asList = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const obj = (v: Json | undefined): Record<string, Json> => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export function readDeployment(r: FieldReader): DeploymentParts {
  const parts: DeploymentParts = { env: [], envFrom: [], mounts: [], resources: undefined, image: undefined, replicas: undefined, labels: {}, annotations: {}, notCarried: [], warnings: [] };
  readEnv(r, parts);
  readResources(r, parts);
  readVolumes(r, parts);
  const image = r.takeString(`${C0}.image`);
  if (image) parts.image = image;
  // Funcdeck sets its own: the pull policy (IfNotPresent), the container's name and the runtime's command and ports.
  r.ignore(`${C0}.imagePullPolicy`, `${C0}.name`);
  const replicas = r.take(`${D}.spec.replicas`);
  if (typeof replicas === 'number') parts.replicas = replicas;
  for (const where of [`${D}.metadata`, `${D}.spec.template.metadata`]) {
    Object.assign(parts.labels, r.takeMap(`${where}.labels`));
    Object.assign(parts.annotations, r.takeMap(`${where}.annotations`));
  }
  r.ignore(`${D}.metadata.creationTimestamp`, `${D}.spec.template.metadata.creationTimestamp`, `${D}.status`);
  return parts;
}

function readEnv(r: FieldReader, parts: DeploymentParts): void {
  asList(r.peek(`${C0}.env`)).forEach((raw, i) => {
    const path = `${C0}.env.${i}`;
    const e = obj(raw);
    const name = str(e.name) ?? '';
    if (name.toUpperCase().startsWith('FUNCDECK_')) {
      r.take(path);
      parts.notCarried.push({ what: `env ${name}`, why: 'Names starting with FUNCDECK_ are reserved for Funcdeck\'s runtime.' });
      return;
    }
    if (typeof e.value === 'string' || (e.value === undefined && e.valueFrom === undefined)) {
      r.take(path);
      parts.env.push({ name, value: str(e.value) ?? '' });
      return;
    }
    const from = obj(e.valueFrom);
    const ref = from.secretKeyRef ? obj(from.secretKeyRef) : from.configMapKeyRef ? obj(from.configMapKeyRef) : null;
    if (ref && Object.keys(from).length === 1) {
      r.take(path);
      parts.envFrom.push({
        from: from.secretKeyRef ? 'secret' : 'configMap',
        name: str(ref.name) ?? '',
        key: str(ref.key) ?? '',
        ...(str(ref.key) === name ? {} : { as: name }),
        ...(ref.optional === true ? { optional: true } : {}),
      });
    }
    // fieldRef and resourceFieldRef stay unread: listed as not carried.
  });
  asList(r.peek(`${C0}.envFrom`)).forEach((raw, i) => {
    const e = obj(raw);
    const ref = e.secretRef ? obj(e.secretRef) : e.configMapRef ? obj(e.configMapRef) : null;
    if (!ref) return;
    r.take(`${C0}.envFrom.${i}`);
    parts.envFrom.push({
      from: e.secretRef ? 'secret' : 'configMap',
      name: str(ref.name) ?? '',
      ...(str(e.prefix) ? { prefix: str(e.prefix) } : {}),
      ...(ref.optional === true ? { optional: true } : {}),
    });
  });
}

function readResources(r: FieldReader, parts: DeploymentParts): void {
  const pick = (kind: 'requests' | 'limits') => {
    const cpu = r.takeString(`${C0}.resources.${kind}.cpu`);
    const memory = r.takeString(`${C0}.resources.${kind}.memory`);
    return cpu || memory ? { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } : undefined;
  };
  const requests = pick('requests');
  const limits = pick('limits');
  if (requests || limits) parts.resources = { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

/** Secret and ConfigMap volumes mounted into the first container become mounts (kubeless --secrets mounts at /<name>). */
function readVolumes(r: FieldReader, parts: DeploymentParts): void {
  const volumes = asList(r.peek(`${POD}.volumes`)).map(obj);
  asList(r.peek(`${C0}.volumeMounts`)).forEach((raw, i) => {
    const m = obj(raw);
    const vi = volumes.findIndex((v) => v.name === m.name);
    const v = volumes[vi];
    if (!v || (!v.secret && !v.configMap) || m.subPath !== undefined) return;
    const source = v.secret ? obj(v.secret) : obj(v.configMap);
    // Only whole objects mounted read-only as folders are carried; items and modes are not.
    if (Object.keys(source).some((k) => !['secretName', 'name', 'optional', 'defaultMode'].includes(k))) return;
    const path = str(m.mountPath) ?? '';
    const problem = mountPathProblem(path);
    if (problem) {
      parts.notCarried.push({ what: `the mount of ${v.secret ? 'Secret' : 'ConfigMap'} at ${path}`, why: problem });
      r.take(`${C0}.volumeMounts.${i}`);
      r.take(`${POD}.volumes.${vi}`);
      return;
    }
    r.take(`${C0}.volumeMounts.${i}`);
    r.take(`${POD}.volumes.${vi}`);
    if (source.defaultMode !== undefined) parts.warnings.push(`The mount at ${path} had file mode ${String(source.defaultMode)}; Funcdeck mounts with Kubernetes' default (0644).`);
    parts.mounts.push({ from: v.secret ? 'secret' : 'configMap', name: str(source.secretName) ?? str(source.name) ?? '', path, ...(source.optional === true ? { optional: true } : {}) });
  });
}

/** Labels and annotations a spec can carry: Funcdeck's own keys, kubeless's bookkeeping and kubectl's last-applied record are not. */
export function carriedMetadata(map: Record<string, string>, what: 'label' | 'annotation', notCarried: NotCarried[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (what === 'label' && k === 'created-by' && v === 'kubeless') continue; // kubeless's own mark; meaningless here
    if (isFuncdeckKey(k)) notCarried.push({ what: `${what} ${k}`, why: "It is one of Funcdeck's own keys, set by Funcdeck itself." });
    else if (k === 'kubectl.kubernetes.io/last-applied-configuration') notCarried.push({ what: `annotation ${k}`, why: "kubectl's record of the kubeless object; it means nothing for the new function." });
    else out[k] = v;
  }
  return out;
}
