import { FuncdeckError } from '../../../shared/contract/errors';
import type { EngineContext } from '../context';
import type { CallHandlers } from '../handlers';
import { exportKnative } from './export/knative';
import { exportManifests } from './export/manifests';
import { readExportSource } from './export/revision';
import { readKubelessObjects, listKubeless } from './kubeless/cluster';
import { importObjects, importText } from './kubeless/documents';

type InteropCallNames = 'interop.import' | 'interop.kubeless.list' | 'interop.kubeless.import' | 'interop.export';

/** Import from kubeless (text or the cluster) and export as manifests or a Knative Service (electron/engine/interop). */
export function interopHandlers(ctx: EngineContext): Pick<CallHandlers, InteropCallNames> {
  const images = () => ctx.settings.runtimeImages();
  return {
    'interop.import': async ({ text }) => importText(text, await images()),
    'interop.kubeless.list': async () => {
      const t = ctx.clusters.target();
      return listKubeless(t.kc, t.namespace);
    },
    'interop.kubeless.import': async ({ names }) => {
      const t = ctx.clusters.target();
      const read = await readKubelessObjects(t.kc, t.namespace);
      if ('reason' in read) throw new FuncdeckError('NOT_FOUND', read.reason);
      const missing = names.filter((n) => !read.objects.some((o) => o.kind === 'Function' && o.metadata?.name === n));
      if (missing.length) throw new FuncdeckError('NOT_FOUND', `No kubeless Function ${missing.map((n) => `"${n}"`).join(', ')} in namespace "${t.namespace}"; list them again.`);
      const wanted = read.objects.filter((o) => o.kind !== 'Function' || names.includes(o.metadata?.name ?? ''));
      const result = await importObjects(wanted, await images());
      // Triggers of Functions not chosen are not this import's business.
      return { ...result, notCarried: result.notCarried.filter((n) => !n.why.startsWith('A trigger of no function')) };
    },
    'interop.export': async ({ name, format, revision, namespace }) => {
      const t = ctx.clusters.target();
      const src = await readExportSource(t.kc, t.namespace, name, namespace ?? t.namespace, revision);
      return format === 'knative' ? exportKnative(src) : exportManifests(src, (await images()).nodejs);
    },
  };
}
