// A cluster for a run of tests or benchmarks: the context FUNCDECK_TEST_CONTEXT names, else the dev
// cluster, brought up when needed and taken down at the end only if this run started it.
import { spawnSync } from 'node:child_process';

/**
 * @param {string} root the repo root
 * @param {(label: string, command: string, argv: string[]) => boolean} run runs one step, true when it passed
 * @returns {{ ready: boolean, started: boolean, release: (keep: boolean) => void }}
 */
export function clusterSession(root, run) {
  if (process.env.FUNCDECK_TEST_CONTEXT) return { ready: true, started: false, release: () => {} };
  const wasUp = devClusterRunning(root);
  const ready = run('dev cluster up', 'bash', ['test/devcluster/cluster.sh', 'up']);
  const started = ready && !wasUp;
  return {
    ready,
    started,
    release(keep) {
      if (started && !keep) run('dev cluster down', 'bash', ['test/devcluster/cluster.sh', 'down']);
    },
  };
}

/** Whether the dev cluster runs, every component of it (`cluster.sh status` exits 0). */
export function devClusterRunning(root) {
  return spawnSync('bash', ['test/devcluster/cluster.sh', 'status', '--quiet'], { cwd: root, stdio: 'ignore' }).status === 0;
}
