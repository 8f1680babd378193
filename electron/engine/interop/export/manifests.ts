import type { ExportResult } from '../../../../shared/contract/interop';
import { cronJob } from '../../cron/manifest';
import { objectMetadata } from '../../deploy/extras';
import { functionService, revisionConfigMap, revisionDeployment } from '../../deploy/manifests';
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
  const objects = [
    revisionConfigMap(input),
    revisionDeployment(input, spec.scale.min),
    functionService(namespace, spec.name, input.revision, objectMetadata(spec)),
    ...(spec.cron ? [cronJob(namespace, spec.name, spec.cron, cronImage, spec.timeoutSeconds, objectMetadata(spec))] : []),
  ];
  const notes = [
    `Revision ${input.revision} of ${spec.name}, as Funcdeck applies it, in namespace ${namespace}. Apply with: kubectl apply -f ${spec.name}.yaml`,
    `It runs on image ${input.image}${spec.image ? ' (the function\'s own)' : ''}: the cluster it goes to must be able to pull it.`,
    ...referencedObjects(spec),
    ...(src.checksumChanged ? ['This Funcdeck\'s runtime server differs from the one the revision was deployed with; the export carries this one.'] : []),
  ];
  return { format: 'manifests', fileName: `${spec.name}.yaml`, text: yamlDocuments(notes, objects), notes };
}
