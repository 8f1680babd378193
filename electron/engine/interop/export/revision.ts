import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../../shared/contract/errors';
import type { RevisionInfo } from '../../../../shared/contract/revisions';
import { buildFunction } from '../../build/build';
import { readDeliveredDependencies } from '../../deps/read-back';
import type { RevisionInput } from '../../deploy/manifests';
import { FD_ANNOTATIONS, functionSelector } from '../../deploy/names';
import { readFunction } from '../../deploy/revision-state';
import { revisionsOf } from '../../functions/summarize';
import { listView } from '../../functions/view';
import { readRevisionSource } from '../../revisions/source';

/**
 * What an export is made from: one deployed revision (the serving one unless asked) rebuilt into the
 * input the deploy's manifest builders take, so an export is exactly what Funcdeck applies, and the
 * function's revisions with their traffic shares.
 */
export interface ExportSource {
  input: RevisionInput;
  revisions: RevisionInfo[];
  /** True when rebuilding gave another checksum than the revision has (the runtime server changed since). */
  checksumChanged: boolean;
}

export async function readExportSource(kc: KubeConfig, ns: string, fn: string, targetNs: string, revision?: number): Promise<ExportSource> {
  const [objs, view] = await Promise.all([readFunction(kc, ns, fn), listView(kc, ns, functionSelector(fn))]);
  if (!objs.revisions.length) throw new FuncdeckError('NOT_FOUND', `There is no deployed function "${fn}" in namespace "${ns}"; deploy it first, then export it.`);
  const number = revision ?? objs.serving ?? objs.revisions[0]!.number;
  const rev = objs.revisions.find((r) => r.number === number);
  if (!rev) throw new FuncdeckError('NOT_FOUND', `Revision ${number} of ${fn} does not exist; existing revisions: ${objs.revisions.map((r) => r.number).join(', ')}.`);
  const [source, dependencies] = await Promise.all([readRevisionSource(kc, ns, fn, number), readDeliveredDependencies(kc, ns, fn, number)]);
  const annotations = rev.deployment.metadata?.annotations ?? {};
  const image = annotations[FD_ANNOTATIONS.image] ?? rev.deployment.spec?.template?.spec?.containers?.[0]?.image ?? '';
  const spec = source.spec;
  const build = await buildFunction(spec, image);
  if (!build.ok) throw new FuncdeckError('BUILD_FAILED', `Revision ${number} of ${fn} no longer builds here; nothing was exported.`, { diagnostics: build.diagnostics });
  return {
    input: { namespace: targetNs, spec, build, revision: number, image, created: annotations[FD_ANNOTATIONS.created] ?? new Date().toISOString(), dependencies },
    revisions: revisionsOf(fn, view),
    checksumChanged: build.checksum !== source.checksum,
  };
}
