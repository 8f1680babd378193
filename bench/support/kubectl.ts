import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { cluster } from '../../test/integration/support-observe';

/** kubectl against the test cluster: the baselines the figures are compared with. */
const args = (argv: string[]) => ['--kubeconfig', cluster.kubeconfigPath, '--context', cluster.context, ...argv];

/** Runs kubectl to the end; throws with its stderr when it fails. */
export function kubectl(...argv: string[]): Buffer {
  return execFileSync('kubectl', args(argv), { stdio: 'pipe' });
}

/** Starts a long-running kubectl (logs -f, proxy); `onLine` gets each line of its output as it arrives. */
export function spawnKubectl(argv: string[], onLine?: (line: string) => void): ChildProcess {
  const child = spawn('kubectl', args(argv), { stdio: ['ignore', onLine ? 'pipe' : 'ignore', 'inherit'] });
  if (onLine) readline.createInterface({ input: child.stdout! }).on('line', onLine);
  return child;
}
