import type { V1ConfigMap, V1Deployment, V1Service } from '@kubernetes/client-node';
import type { FunctionSpec } from '../../../shared/contract/functions';
import { parseQuantity } from '../../../shared/contract/quantity';
import { ANNOTATIONS, LABELS, RUNTIME_PORTS } from '../../../shared/contract/runtime-protocol';
import type { BuildOutput } from '../build/build';
import { DEPS_ANNOTATION, podDependencies, type DeliveredDependencies } from '../deps/delivery';
import { POD_PATHS, RUNTIMES } from '../runtimes/registry';
import { PART_LABEL, ROUTER_PART } from '../gateway/shared/constants';
import { GATEWAY_ANNOTATIONS, serializeScaleDoc, serializeTrafficDoc, type TrafficDoc } from '../gateway/shared/traffic-doc';
import { containerResources, merged, objectMetadata, objectMetadataAnnotation, referenceEnv, referenceEnvFrom, referenceMounts, referenceVolumes, type ObjectMetadata } from './extras';
import { CONTAINER, FD_ANNOTATIONS, functionLabels, revisionName } from './names';
import { GATEWAY_OWNER, ownerLabels } from './ownership';

export interface RevisionInput {
  namespace: string;
  spec: FunctionSpec;
  build: BuildOutput;
  revision: number;
  image: string;
  created: string;
  /** Dependencies installed on this machine and shipped with the revision (electron/engine/deps); null when none. */
  dependencies?: DeliveredDependencies | null;
}

/** What the revision ConfigMap's spec.json holds: the spec, with each file's content moved to its own key. */
export interface StoredSpec extends Omit<FunctionSpec, 'files'> {
  files: Array<{ path: string; key: string }>;
}

const sourceKey = (i: number) => `file-${i}`;
const buildKey = (i: number) => `build-${i}`;

function revisionLabels(input: RevisionInput): Record<string, string> {
  return {
    ...objectMetadata(input.spec).labels,
    ...functionLabels(input.spec.name),
    [LABELS.revision]: String(input.revision),
    [LABELS.runtime]: input.spec.runtime,
  };
}

/**
 * The revision's ConfigMap: the person's sources (for diffing revisions), what the pod loads
 * (compiled JavaScript for TypeScript), the runtime server, the dependency manifest and the spec.
 */
export function revisionConfigMap(input: RevisionInput): V1ConfigMap & { apiVersion: string; kind: string } {
  const { spec, build } = input;
  const runtime = RUNTIMES[spec.runtime];
  const data: Record<string, string> = { ...runtime.serverFiles };
  const stored: StoredSpec = { ...spec, files: spec.files.map((f, i) => ({ path: f.path, key: sourceKey(i) })) };
  spec.files.forEach((f, i) => (data[sourceKey(i)] = f.content));
  build.files.forEach((f, i) => {
    const same = spec.files.findIndex((s) => s.path === f.path && s.content === f.content);
    if (same < 0) data[buildKey(i)] = f.content; // only what differs from the sources is stored twice
  });
  const deps = input.dependencies;
  if (deps) data['dependencies.json'] = JSON.stringify({ digest: deps.digest, bytes: deps.bytes, unpackedBytes: deps.unpackedBytes, allocatedBytes: deps.allocatedBytes, packages: deps.packages });
  data['spec.json'] = JSON.stringify(stored);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: revisionName(spec.name, input.revision),
      namespace: input.namespace,
      labels: revisionLabels(input),
      annotations: merged(objectMetadata(spec).annotations, {
        [ANNOTATIONS.checksum]: build.checksum,
        [FD_ANNOTATIONS.created]: input.created,
        ...(deps ? { [DEPS_ANNOTATION]: deps.digest } : {}),
      }),
    },
    data,
  };
}

/** configMap volume items mapping keys to the file paths the pod sees under POD_PATHS.src. */
function sourceItems(input: RevisionInput): Array<{ key: string; path: string }> {
  const { spec, build } = input;
  return build.files.map((f, i) => {
    const same = spec.files.findIndex((s) => s.path === f.path && s.content === f.content);
    return { key: same >= 0 ? sourceKey(same) : buildKey(i), path: f.path };
  });
}

/**
 * The kubelet kills a terminating pod this long after SIGTERM. The runtime's own grace for calls in
 * flight (FUNCDECK_SHUTDOWN_GRACE_MS) ends 5 s earlier, so it can answer what is left and exit 0 first.
 */
const TERMINATION_GRACE_SECONDS = 30;
const RUNTIME_SHUTDOWN_GRACE_MS = (TERMINATION_GRACE_SECONDS - 5) * 1000;

export function revisionDeployment(input: RevisionInput, replicas: number): V1Deployment & { apiVersion: string; kind: string } {
  const { spec, build } = input;
  const runtime = RUNTIMES[spec.runtime];
  const name = revisionName(spec.name, input.revision);
  const labels = revisionLabels(input);
  const resources = containerResources(spec);
  const meta = objectMetadata(spec);
  const deps = input.dependencies ? podDependencies(spec.name, input.dependencies) : null;
  const env = [
    { name: 'FUNCDECK_FUNCTION_NAME', value: spec.name },
    { name: 'FUNCDECK_HANDLER', value: spec.handler },
    { name: 'FUNCDECK_TIMEOUT', value: String(spec.timeoutSeconds) },
    { name: 'FUNCDECK_REVISION', value: String(input.revision) },
    { name: 'FUNCDECK_SRC_DIR', value: POD_PATHS.src },
    { name: 'FUNCDECK_DEPS_DIR', value: POD_PATHS.deps },
    { name: 'FUNCDECK_LIVE_DIR', value: POD_PATHS.live },
    { name: 'FUNCDECK_HTTP_PORT', value: String(RUNTIME_PORTS.http) },
    { name: 'FUNCDECK_METRICS_PORT', value: String(RUNTIME_PORTS.metrics) },
    { name: 'FUNCDECK_SHUTDOWN_GRACE_MS', value: String(RUNTIME_SHUTDOWN_GRACE_MS) },
    { name: 'FUNCDECK_MEMORY_LIMIT', valueFrom: { resourceFieldRef: { containerName: CONTAINER.fn, resource: 'limits.memory' } } },
    ...Object.entries(runtime.env).map(([k, v]) => ({ name: k, value: v })),
    ...(deps?.env ?? []),
    ...spec.env.map((e) => ({ name: e.name, value: e.value })),
    ...referenceEnv(spec),
  ];
  const volumes: Array<Record<string, unknown>> = [
    { name: 'runtime', configMap: { name, items: Object.keys(runtime.serverFiles).map((f) => ({ key: f, path: f })) } },
    { name: 'src', configMap: { name, items: sourceItems(input) } },
    // Live update writes pushed code here (electron/engine/live); small, in memory, gone with the pod.
    { name: 'live', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
    ...referenceVolumes(spec),
  ];
  // readOnly only where true: the API server drops a false one, and the export must read back equal.
  const mounts: Array<{ name: string; mountPath: string; readOnly?: boolean }> = [
    { name: 'runtime', mountPath: POD_PATHS.runtime, readOnly: true },
    { name: 'src', mountPath: POD_PATHS.src, readOnly: true },
    { name: 'live', mountPath: POD_PATHS.live },
    ...referenceMounts(spec),
  ];
  if (deps) {
    // The runtime unpacks the parts into the deps emptyDir at start (see electron/engine/deps/README.md).
    volumes.push(...deps.volumes);
    mounts.push(...deps.mounts, { name: 'deps', mountPath: POD_PATHS.deps });
  }
  const plusMemory = (q: string) => (deps ? addMiB(q, deps.memoryMiB) : q);
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'metrics' },
    initialDelaySeconds: 0,
    periodSeconds,
    timeoutSeconds: 1,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: input.namespace,
      labels,
      annotations: {
        ...meta.annotations,
        ...objectMetadataAnnotation(meta),
        [ANNOTATIONS.checksum]: build.checksum,
        [FD_ANNOTATIONS.created]: input.created,
        [FD_ANNOTATIONS.image]: input.image,
        [FD_ANNOTATIONS.language]: spec.language ?? '',
        [FD_ANNOTATIONS.handler]: spec.handler,
        [FD_ANNOTATIONS.replicas]: String(Math.max(1, spec.scale.min)),
        [FD_ANNOTATIONS.installsDependencies]: String(!!deps),
        ...(input.dependencies ? { [DEPS_ANNOTATION]: input.dependencies.digest } : {}),
        // What the namespace gateway scales this revision by (scale to zero, autoscaling).
        [GATEWAY_ANNOTATIONS.scale]: serializeScaleDoc({ min: spec.scale.min, max: spec.scale.max, target: spec.scale.targetConcurrency, graceSeconds: spec.scale.scaleToZeroGraceSeconds }),
      },
    },
    spec: {
      replicas,
      revisionHistoryLimit: 1,
      selector: { matchLabels: { [LABELS.function]: spec.name, [LABELS.revision]: String(input.revision) } },
      template: {
        metadata: { labels, annotations: merged(meta.annotations, { [ANNOTATIONS.checksum]: build.checksum }) },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          volumes: volumes as never,
          containers: [
            {
              name: CONTAINER.fn,
              image: input.image,
              imagePullPolicy: 'IfNotPresent',
              command: runtime.command,
              env,
              ...(spec.envFrom?.some((s) => s.key === undefined) ? { envFrom: referenceEnvFrom(spec) } : {}),
              ports: [
                { name: 'http', containerPort: RUNTIME_PORTS.http, protocol: 'TCP' },
                { name: 'metrics', containerPort: RUNTIME_PORTS.metrics, protocol: 'TCP' },
              ],
              readinessProbe: probe('/readyz', 1, 3),
              livenessProbe: probe('/healthz', 10, 6),
              resources: {
                requests: { ...resources.requests, memory: plusMemory(resources.requests.memory) },
                limits: { ...resources.limits, memory: plusMemory(resources.limits.memory) },
              },
              volumeMounts: mounts,
              securityContext: { allowPrivilegeEscalation: false },
            },
          ],
        },
      },
    },
  };
}


/** How the function's Service routes, beyond one serving revision: its traffic doc and rollout plan (gateway/routing.ts). */
export interface ServiceRoute {
  /** The traffic doc; with via "gateway" the Service sends its port 80 to the gateway's port for this function. */
  doc: TrafficDoc | null;
  /** The canary plan new deploys follow (annotation text), if any. */
  rollout: string | null;
  /** How the last canary ended (annotation text), if one did. */
  lastCanary?: string | null;
}

/**
 * The function's stable Service, carrying the serving revision's labels and annotations (its
 * spec's) under Funcdeck's own. Straight to a revision: its selector picks the serving revision's
 * pods. Through the gateway (a split, tags, scale to zero, autoscaling, a canary): it selects the
 * namespace gateway's pods and sends port 80 to the gateway port of this function, so the gateway
 * knows the function from the port, however the call came; its ClusterIP and DNS name stay the same.
 */
export function functionService(
  namespace: string,
  fn: string,
  servingRevision: number,
  meta?: ObjectMetadata,
  route: ServiceRoute = { doc: null, rollout: null },
): V1Service & { apiVersion: string; kind: string } {
  const ours: Record<string, string> = { [FD_ANNOTATIONS.servingRevision]: String(servingRevision) };
  if (route.doc) ours[GATEWAY_ANNOTATIONS.traffic] = serializeTrafficDoc(route.doc);
  if (route.rollout) ours[GATEWAY_ANNOTATIONS.rollout] = route.rollout;
  if (route.lastCanary) ours[GATEWAY_ANNOTATIONS.lastCanary] = route.lastCanary;
  const viaGateway = route.doc?.via === 'gateway';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: fn, namespace, labels: merged(meta?.labels ?? {}, functionLabels(fn)), annotations: merged(meta?.annotations ?? {}, ours) },
    spec: viaGateway
      ? {
          type: 'ClusterIP',
          publishNotReadyAddresses: false,
          selector: { ...ownerLabels(GATEWAY_OWNER), [PART_LABEL]: ROUTER_PART },
          ports: [{ name: 'http', port: 80, targetPort: route.doc!.port, protocol: 'TCP' }],
        }
      : {
          type: 'ClusterIP',
          // Traffic moves only after the engine has seen the new revision answer /readyz itself (see
          // rollout.ts), which is up to a second sooner than the kubelet's next readiness probe.
          publishNotReadyAddresses: true,
          selector: { [LABELS.function]: fn, [LABELS.revision]: String(servingRevision) },
          ports: [
            { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
            { name: 'metrics', port: RUNTIME_PORTS.metrics, targetPort: 'metrics', protocol: 'TCP' },
          ],
        },
  };
}

/** A memory quantity plus n MiB, in Mi. */
function addMiB(q: string, n: number): string {
  return `${Math.ceil((parseQuantity(q) ?? 0) / 2 ** 20) + n}Mi`;
}
