import path from 'node:path';

/**
 * The kubeconfig files kubectl would read: every entry of KUBECONFIG (in order, empty entries skipped,
 * duplicates dropped), or ~/.kube/config when KUBECONFIG is unset or empty.
 */
export function kubeconfigPaths(env: NodeJS.ProcessEnv, homeDir: string): string[] {
  const fromEnv = (env.KUBECONFIG ?? '')
    .split(path.delimiter)
    .map((p) => p.trim())
    .filter(Boolean);
  if (fromEnv.length === 0) return [path.join(homeDir, '.kube', 'config')];
  return [...new Set(fromEnv.map((p) => path.resolve(p)))];
}
