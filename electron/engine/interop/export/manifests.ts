import type { ExportResult } from '../../../../shared/contract/interop';
import { plural, pluralWord } from '../../../../shared/plural';
import { cronJob } from '../../cron/manifest';
import { objectMetadata } from '../../deploy/extras';
import { functionService, revisionConfigMap, revisionDeployment } from '../../deploy/manifests';
import { dependencyParts, partCount } from '../../deps/delivery';
import type { ExportSource } from './revision';
import { referencedObjects } from './references';
import { yamlDocuments } from './yaml-docs';

/**
 * A function as the plain objects Funcdeck applies for one revision: its ConfigMap, Deployment, the
 * Service routing to it, and its CronJob. Made by the deploy's own builders, so it never drifts from
 * what a deploy writes; applied by `kubectl apply` in CI, Funcdeck on that cluster sees its own function.
 */
export function exportManifests(src: ExportSource, cronImage: string): ExportResult {
  const { input } = src;
  const { spec, namespace } = input;
  const deps = input.dependencies;
  // Scaling (to zero, by concurrency) and traffic splits are the namespace gateway's, which stays
  // with Funcdeck: the exported revision runs a fixed number of pods, at least one.
  const pods = Math.max(1, spec.scale.min);
  const objects = [
    // The installed packages first: the pod mounts them (parts of one archive, as the deploy ships them).
    ...(deps ? dependencyParts(namespace, spec.name, deps) : []),
    revisionConfigMap(input),
    revisionDeployment(input, pods),
    functionService(namespace, spec.name, input.revision, objectMetadata(spec)),
    ...(spec.cron ? [cronJob(namespace, spec.name, spec.cron, cronImage, spec.timeoutSeconds, objectMetadata(spec))] : []),
  ];
  const notes = [
    `Revision ${input.revision} of ${spec.name}, as Funcdeck applies it, in namespace ${namespace}. Apply with: kubectl apply -f ${spec.name}.yaml`,
    `It runs on image ${input.image}${spec.image ? ' (the function\'s own)' : ''}: the cluster it goes to must be able to pull it.`,
    ...(spec.scale.min !== spec.scale.max || spec.scale.min === 0
      ? [`It runs ${plural(pods, 'pod')}: scaling between ${spec.scale.min} and ${spec.scale.max} is done by Funcdeck's namespace gateway, which is not exported (the Knative export keeps it).`]
      : []),
    ...(deps ? [`Its ${plural(deps.packages.length, 'installed package')} ${pluralWord(deps.packages.length, 'ships', 'ship')} in ${plural(partCount(deps.bytes), 'ConfigMap')} (${(deps.bytes / 1024).toFixed(0)} KB compressed), unpacked by the runtime at start: no registry is needed there.`] : []),
    ...referencedObjects(spec),
    ...(src.checksumChanged ? ['This Funcdeck\'s runtime server differs from the one the revision was deployed with; the export carries this one.'] : []),
  ];
  return { format: 'manifests', fileName: `${spec.name}.yaml`, text: yamlDocuments(notes, objects), notes };
}
