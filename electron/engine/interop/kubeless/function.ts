import { DEFAULT_TIMEOUT_SECONDS, FUNCTION_NAME_MAX, FunctionSpec, type CronTrigger, type FunctionSpecInput } from '../../../../shared/contract/functions';
import { IMAGE_NEEDS } from '../../../../shared/contract/function-extras';
import type { ImportedFunction, NotCarried } from '../../../../shared/contract/interop';
import type { RuntimeId } from '../../../../shared/contract/settings';
import { RUNTIMES } from '../../runtimes/registry';
import { carriedMetadata, readDeployment } from './deployment';
import { FieldReader, type Json } from './reader';
import { mapRuntime, SUPPORTED_RUNTIMES, versionWarning } from './runtime';
import { decodeSource } from './source';
import { cronFrom, otherTrigger, type KubelessObject } from './triggers';

/**
 * One kubeless Function (kubeless.io/v1beta1) as a Funcdeck spec for a new draft: runtime, handler,
 * source in every form, deps, env, resources, image, labels, timeout, replicas and its
 * CronJobTrigger. Every field it had that the spec does not hold is listed as not carried.
 */

const EXTENSION: Record<RuntimeId, string> = { nodejs: '.js', python: '.py' };

/** A Funcdeck function name from a kubeless one (lowercase DNS label, 40 characters at most). */
export function functionNameFrom(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, FUNCTION_NAME_MAX).replace(/-+$/, '');
  return cleaned || 'imported';
}

export async function importFunction(fn: KubelessObject, related: KubelessObject[], images: Record<RuntimeId, string>): Promise<ImportedFunction> {
  const r = new FieldReader(fn as unknown as Json);
  r.ignore('apiVersion', 'kind', 'status');
  for (const m of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'finalizers', 'namespace', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds']) r.ignore(`metadata.${m}`);
  const kubelessName = r.takeString('metadata.name') ?? '';
  const namespace = fn.metadata?.namespace ?? null;
  const runtimeName = r.takeString('spec.runtime') ?? '';
  const warnings: string[] = [];
  const notCarried: NotCarried[] = [];
  const result = (spec: FunctionSpecInput | null): ImportedFunction => {
    const checked = spec ? FunctionSpec.safeParse(spec) : null;
    const issues = checked && !checked.success ? checked.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) : [];
    return { source: { name: kubelessName, namespace, runtime: runtimeName }, spec: spec as Record<string, unknown> | null, warnings, notCarried, issues };
  };

  const mapped = mapRuntime(runtimeName);
  if (!mapped.ok) {
    notCarried.push({ what: `the whole function (runtime "${runtimeName || 'none'}")`, why: `${SUPPORTED_RUNTIMES}; ${mapped.family || 'this'} functions cannot be carried. Rewrite it in JavaScript or Python.` });
    return result(null);
  }
  const runtime = mapped.runtime;
  const handler = r.takeString('spec.handler') ?? '';
  const module = handler.includes('.') ? handler.slice(0, handler.lastIndexOf('.')) : handler;
  const name = functionNameFrom(kubelessName);
  if (name !== kubelessName) warnings.push(`Named "${name}": Funcdeck function names are lowercase, at most ${FUNCTION_NAME_MAX} characters (it was "${kubelessName}").`);

  // Funcdeck's image for the runtime, unless the Function ran on its own (then that image is kept).
  const deployment = readDeployment(r);
  const image = deployment.image ?? images[runtime];
  const version = versionWarning(runtimeName, mapped, image);
  if (version) warnings.push(version);
  if (deployment.image) warnings.push(`It ran on its own image ${deployment.image}, kept as the function's image: it must carry ${IMAGE_NEEDS[runtime]} Funcdeck mounts its own runtime server into it.`);
  warnings.push(...deployment.warnings);
  notCarried.push(...deployment.notCarried);

  const contentType = r.takeString('spec.function-content-type') ?? '';
  const source = await decodeSource({
    content: r.takeString('spec.function') ?? '',
    contentType,
    checksum: r.takeString('spec.checksum'),
    handlerFile: `${module}${EXTENSION[runtime]}`,
    dependencyFile: RUNTIMES[runtime].dependencyFile,
  });
  warnings.push(...source.warnings);
  notCarried.push(...source.notCarried);
  let dependencies = r.takeString('spec.deps') ?? '';
  if (!dependencies.trim() && source.archiveDependencies !== null) {
    dependencies = source.archiveDependencies;
    warnings.push(`Dependencies taken from the archive's ${RUNTIMES[runtime].dependencyFile}.`);
  } else if (source.archiveDependencies !== null) {
    notCarried.push({ what: `${RUNTIMES[runtime].dependencyFile} in the archive`, why: 'spec.deps replaced it, as kubeless did.' });
  }

  const timeoutSeconds = readTimeout(r.takeString('spec.timeout'), warnings, notCarried);
  const scale = readScale(r, deployment.replicas, warnings, notCarried);
  readService(r, warnings, notCarried);
  const cron = readTriggers(related, warnings, notCarried);

  const labels = carriedMetadata({ ...deployment.labels, ...r.takeMap('metadata.labels') }, 'label', notCarried);
  const annotations = carriedMetadata({ ...deployment.annotations, ...r.takeMap('metadata.annotations') }, 'annotation', notCarried);

  for (const left of r.leftOver()) notCarried.push({ what: `${left.path}: ${left.preview}`, why: whyLeftOver(left.path) });

  const spec: FunctionSpecInput = {
    name,
    runtime,
    language: runtime === 'python' ? 'python' : 'javascript',
    handler,
    files: source.files,
    dependencies,
    env: deployment.env,
    size: 'S',
    timeoutSeconds,
    ...(scale ? { scale } : {}),
    cron,
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
    ...(deployment.envFrom.length ? { envFrom: deployment.envFrom } : {}),
    ...(deployment.mounts.length ? { mounts: deployment.mounts } : {}),
    ...(deployment.resources ? { resources: deployment.resources } : {}),
    ...(deployment.image ? { image: deployment.image } : {}),
  };
  return result(spec);
}

function readTimeout(text: string | undefined, warnings: string[], notCarried: NotCarried[]): number {
  if (text === undefined || text.trim() === '') return DEFAULT_TIMEOUT_SECONDS;
  const n = Number(text);
  if (!Number.isFinite(n)) {
    notCarried.push({ what: `spec.timeout "${text}"`, why: `Not a number of seconds; the default ${DEFAULT_TIMEOUT_SECONDS} s is used.` });
    return DEFAULT_TIMEOUT_SECONDS;
  }
  const clamped = Math.min(900, Math.max(1, Math.round(n)));
  if (clamped !== n) warnings.push(`Timeout ${text} s became ${clamped} s (Funcdeck takes whole seconds from 1 to 900).`);
  return clamped;
}

function readScale(r: FieldReader, replicas: number | undefined, warnings: string[], notCarried: NotCarried[]) {
  const hpa = 'spec.horizontalPodAutoscaler.spec';
  const min = r.take(`${hpa}.minReplicas`);
  const max = r.take(`${hpa}.maxReplicas`);
  r.ignore(`${hpa}.scaleTargetRef`, 'spec.horizontalPodAutoscaler.metadata');
  const clamp = (n: number) => Math.min(20, Math.max(1, Math.round(n)));
  if (typeof max === 'number') {
    const lo = clamp(typeof min === 'number' ? min : 1);
    const hi = Math.max(lo, clamp(max));
    if (r.peek(`${hpa}.metrics`) !== undefined) {
      r.take(`${hpa}.metrics`);
      notCarried.push({ what: 'the autoscaler’s metrics', why: 'Funcdeck scales on requests in flight per pod (scale.targetConcurrency), not on CPU or custom metrics.' });
    }
    warnings.push(`Autoscaling from ${lo} to ${hi} replicas was carried as the scale range.`);
    return { min: lo, max: hi, targetConcurrency: 10, scaleToZeroGraceSeconds: 60 };
  }
  if (replicas !== undefined && replicas !== 1) {
    const n = clamp(replicas);
    if (n !== replicas) warnings.push(`${replicas} replicas became ${n} (Funcdeck runs 1 to 20).`);
    return { min: n, max: n, targetConcurrency: 10, scaleToZeroGraceSeconds: 60 };
  }
  return null;
}

/** kubeless's default Service (ClusterIP, one port 8080) needs nothing; other settings are listed. */
function readService(r: FieldReader, warnings: string[], notCarried: NotCarried[]): void {
  const type = r.takeString('spec.service.type');
  const ports = r.take('spec.service.ports');
  r.ignore('spec.service.selector'); // the function's own labels: Funcdeck selects by its own
  if (type && type !== 'ClusterIP') notCarried.push({ what: `spec.service.type ${type}`, why: 'Funcdeck makes a ClusterIP Service; expose it another way if needed.' });
  if (r.take('spec.service.clusterIP') === 'None') notCarried.push({ what: 'a headless Service', why: 'Funcdeck makes a ClusterIP Service.' });
  const list = Array.isArray(ports) ? ports : [];
  const port = list[0] && typeof list[0] === 'object' && !Array.isArray(list[0]) ? list[0].port : undefined;
  if (list.length > 1 || (typeof port === 'number' && port !== 8080)) notCarried.push({ what: `spec.service.ports ${JSON.stringify(ports)}`, why: 'Funcdeck\'s Service has one port, 80.' });
  warnings.push('In the cluster it answers at http://<name>.<namespace>.svc on port 80 (kubeless used 8080): update callers that named the port.');
}

function readTriggers(related: KubelessObject[], warnings: string[], notCarried: NotCarried[]): CronTrigger | null {
  let cron: CronTrigger | null = null;
  for (const t of related) {
    if (t.kind !== 'CronJobTrigger') {
      notCarried.push(otherTrigger(t));
      continue;
    }
    const mapped = cronFrom(t);
    if ('notCarried' in mapped) notCarried.push(mapped.notCarried);
    else if (cron) notCarried.push({ what: `CronJobTrigger ${t.metadata?.name ?? ''} (${mapped.cron.schedule})`, why: 'Funcdeck runs one cron trigger per function; the first was carried.' });
    else {
      cron = mapped.cron;
      warnings.push(`CronJobTrigger ${t.metadata?.name ?? ''} became its cron trigger (${mapped.cron.schedule}).`);
    }
  }
  return cron;
}

function whyLeftOver(path: string): string {
  if (path.startsWith('spec.deployment.spec.template.spec.containers.0.')) return 'Funcdeck sets this part of the function’s container itself.';
  if (path.startsWith('spec.deployment.spec.template.spec.containers.')) return 'Funcdeck runs one container per function; extra containers are not carried.';
  if (path.startsWith('spec.deployment')) return 'Funcdeck sets this part of the Deployment itself.';
  if (path.startsWith('spec.horizontalPodAutoscaler')) return 'Funcdeck scales on requests in flight; only the replica range was carried.';
  if (path.startsWith('spec.service')) return 'Funcdeck makes the function’s Service itself.';
  return 'A field Funcdeck’s spec has no place for.';
}
