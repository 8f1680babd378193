import { FuncdeckError } from '../../../shared/contract';
import type { CallHandlers, StreamHandlers } from '../handlers';
import type { EngineOptions } from '../options';
import type { ClusterAccessControl } from './access';
import { kubeconfigPaths } from './kubeconfig-files';
import { readKubeconfig } from './kubeconfig-read';
import { runClustersMonitor } from './monitor';
import { createNamespace, listNamespaces } from './namespaces';
import { createProbeCache } from './probe-cache';

type ClusterCalls =
  | 'clusters.kubeconfig'
  | 'clusters.select'
  | 'clusters.selection'
  | 'clusters.probe'
  | 'namespaces.list'
  | 'namespaces.create';

export function clusterHandlers(
  options: EngineOptions,
  access: ClusterAccessControl,
): { calls: Pick<CallHandlers, ClusterCalls>; streams: Pick<StreamHandlers, 'clusters.watch'> } {
  const probes = createProbeCache((context) => access.kubeConfigFor(context));
  const kcFor = (context?: string) => (context ? access.kubeConfigFor(context) : access.target().kc);
  return {
    calls: {
      'clusters.kubeconfig': async () => (await readKubeconfig(kubeconfigPaths(options.env, options.homeDir))).state,
      'clusters.select': async ({ context, namespace }) => {
        await access.selectAndSave(context, namespace);
        return access.selection()!;
      },
      'clusters.selection': async () => access.selection(),
      'clusters.probe': ({ context }) => probes.probe(context, true),
      'namespaces.list': ({ context }) => listNamespaces(kcFor(context)),
      'namespaces.create': ({ name, context }) => {
        if (name.startsWith('kube-')) {
          throw new FuncdeckError('BAD_REQUEST', `"${name}": names starting with "kube-" are reserved for Kubernetes. Choose another name.`);
        }
        return createNamespace(kcFor(context), name);
      },
    },
    streams: {
      'clusters.watch': (_params, sink) => runClustersMonitor(options, access, probes, (s) => sink.emit(s), sink.signal),
    },
  };
}
