import type { V1Container, V1EnvVar } from '@kubernetes/client-node';
import type { ExportResult } from '../../../../shared/contract/interop';
import { plural, pluralWord } from '../../../../shared/plural';
import { parseQuantity } from '../../../../shared/contract/quantity';
import { RUNTIME_PORTS } from '../../../../shared/contract/runtime-protocol';
import { containerResources, objectMetadata } from '../../deploy/extras';
import { revisionConfigMap, revisionDeployment } from '../../deploy/manifests';
import { revisionName } from '../../deploy/names';
import { dependencyParts } from '../../deps/delivery';
import type { ExportSource } from './revision';
import { referencedObjects } from './references';
import { yamlDocuments } from './yaml-docs';

/**
 * A function as a Knative Service (serving.knative.dev/v1): the exported revision's pod as the
 * template (named `<fn>-r<N>`, so Knative makes a revision of that name), the revisions' traffic
 * shares as its traffic, and the sources in a ConfigMap beside it. Built from the same pod the
 * deploy makes, with what Knative runs differently: one port, its own probing and scaling.
 */

/** Live update is Funcdeck's (it pushes code through the API server); a Knative revision is immutable. */
const LIVE_VOLUME = 'live';

/** Knative's default max-revision-timeout-seconds. */
const KNATIVE_MAX_TIMEOUT = 600;

export function exportKnative(src: ExportSource): ExportResult {
  const { input, revisions } = src;
  const { spec, namespace } = input;
  const fn = spec.name;
  const meta = objectMetadata(spec);
  const sourcesName = `${revisionName(fn, input.revision)}-src`;
  const notes: string[] = [];

  // The sources and runtime server, not labelled as Funcdeck's: on that cluster no Funcdeck revision owns them.
  const cm = revisionConfigMap(input);
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: sourcesName, namespace, labels: { ...meta.labels, 'app.kubernetes.io/name': fn, 'app.kubernetes.io/component': 'function-sources' } },
    data: cm.data,
  };

  const pod = revisionDeployment(input, spec.scale.min).spec!.template.spec!;
  const rename = <T extends { configMap?: { name?: string } }>(v: T): T => (v.configMap?.name === cm.metadata?.name ? { ...v, configMap: { ...v.configMap, name: sourcesName } } : v);
  const memoryLimit = parseQuantity(containerResources(spec).limits.memory) ?? 0;
  const fnContainer = pod.containers[0]!;
  const container: V1Container = {
    name: fnContainer.name,
    image: fnContainer.image,
    imagePullPolicy: fnContainer.imagePullPolicy,
    command: fnContainer.command,
    // Knative allows no resourceFieldRef without a feature flag: the limit goes in as its value.
    env: (fnContainer.env ?? []).filter((e) => e.name !== 'FUNCDECK_LIVE_DIR').map((e): V1EnvVar => (e.valueFrom?.resourceFieldRef ? { name: e.name, value: String(Math.floor(memoryLimit)) } : e)),
    ...(fnContainer.envFrom ? { envFrom: fnContainer.envFrom } : {}),
    // One port: Knative routes to it and probes it itself.
    ports: [{ name: 'http1', containerPort: RUNTIME_PORTS.http }],
    resources: fnContainer.resources,
    volumeMounts: fnContainer.volumeMounts?.filter((m) => m.name !== LIVE_VOLUME),
    securityContext: fnContainer.securityContext,
  };
  const volumes = (pod.volumes ?? []).filter((v) => v.name !== LIVE_VOLUME).map(rename);
  // The installed packages as the deploy ships them: parts of one archive, unpacked by the runtime at start.
  const deps = input.dependencies;
  const parts = (deps ? dependencyParts(namespace, fn, deps) : []).map((p) => ({
    ...p,
    metadata: { name: p.metadata!.name, namespace, labels: { ...meta.labels, 'app.kubernetes.io/name': fn, 'app.kubernetes.io/component': 'function-dependencies' } },
  }));
  if (deps) {
    notes.push(`Its ${plural(deps.packages.length, 'installed package')} ${pluralWord(deps.packages.length, 'ships', 'ship')} in ${pluralWord(parts.length, 'ConfigMap')} ${parts.map((p) => p.metadata.name).join(', ')} and ${pluralWord(deps.packages.length, 'is', 'are')} unpacked at start into an in-memory emptyDir: the Knative cluster needs the feature kubernetes.podspec-volumes-emptydir enabled (config-features in knative-serving).`);
  }
  if (spec.timeoutSeconds > KNATIVE_MAX_TIMEOUT) notes.push(`Its timeout of ${spec.timeoutSeconds} s is above Knative's default maximum (${KNATIVE_MAX_TIMEOUT} s, max-revision-timeout-seconds in config-defaults): raise that first.`);
  notes.push(`Knative probes and scales it itself (from ${spec.scale.min} to ${spec.scale.max} pods, ${spec.scale.targetConcurrency} requests in flight each); Funcdeck's metrics port ${RUNTIME_PORTS.metrics} is not published.`);

  const template = {
    metadata: {
      name: revisionName(fn, input.revision),
      ...(Object.keys(meta.labels).length ? { labels: meta.labels } : {}),
      annotations: {
        ...meta.annotations,
        'autoscaling.knative.dev/min-scale': String(spec.scale.min),
        'autoscaling.knative.dev/max-scale': String(spec.scale.max),
        'autoscaling.knative.dev/target': String(spec.scale.targetConcurrency),
      },
    },
    spec: {
      timeoutSeconds: spec.timeoutSeconds,
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      containers: [container],
      volumes,
    },
  };

  const service = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name: fn,
      namespace,
      ...(Object.keys(meta.labels).length ? { labels: meta.labels } : {}),
      ...(Object.keys(meta.annotations).length ? { annotations: meta.annotations } : {}),
    },
    spec: { template, traffic: traffic(fn, input.revision, revisions, notes) },
  };
  notes.unshift(`Revision ${input.revision} of ${fn} as a Knative Service in namespace ${namespace}, with its sources in ConfigMap ${sourcesName}. Apply with: kubectl apply -f ${fn}.knative.yaml`);
  notes.push(...referencedObjects(spec));
  return { format: 'knative', fileName: `${fn}.knative.yaml`, text: yamlDocuments(notes, [...parts, configMap, service]), notes };
}

/** The revisions' shares as Knative traffic targets, each tagged r<N>; the exported one is always listed. */
function traffic(fn: string, exported: number, revisions: ExportSource['revisions'], notes: string[]) {
  const shares = revisions.filter((r) => r.trafficPercent > 0).sort((a, b) => b.number - a.number);
  const targets = shares.map((r) => ({ revisionName: revisionName(fn, r.number), percent: r.trafficPercent, tag: `r${r.number}` }));
  if (!targets.length) targets.push({ revisionName: revisionName(fn, exported), percent: 100, tag: `r${exported}` });
  else if (!shares.some((r) => r.number === exported)) targets.push({ revisionName: revisionName(fn, exported), percent: 0, tag: `r${exported}` });
  // Knative wants the shares to add up to 100; rounding in the source never may leave it otherwise.
  const total = targets.reduce((n, t) => n + t.percent, 0);
  if (total !== 100) targets[0]!.percent += 100 - total;
  const others = targets.filter((t) => t.percent > 0 && t.revisionName !== revisionName(fn, exported));
  if (others.length) {
    notes.push(
      `Traffic also goes to ${others.map((t) => `${t.tag} (${t.percent}%)`).join(', ')}: Knative makes a revision only from a template, so apply the export of ${others.length > 1 ? 'each of those revisions' : 'that revision'} on the Knative cluster first, then this one.`,
    );
  }
  return targets;
}
