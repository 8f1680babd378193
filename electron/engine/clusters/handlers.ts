import type { CallHandlers } from '../handlers';
import type { EngineOptions } from '../options';
import { kubeconfigPaths } from './kubeconfig-files';
import { readKubeconfig } from './kubeconfig-read';

export function clusterHandlers(options: EngineOptions): Pick<CallHandlers, 'clusters.kubeconfig'> {
  return {
    'clusters.kubeconfig': async () => (await readKubeconfig(kubeconfigPaths(options.env, options.homeDir))).state,
  };
}
