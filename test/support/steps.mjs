// One step of `npm test` or `npm run bench`: a command run in the repo with a header, its exit
// status and its time, so every runner's log reads the same.
import { spawnSync } from 'node:child_process';

/** Runs `command argv` in `root` with `env` added; true when it exited 0. */
export function runStep(root, label, command, argv, env = {}) {
  const t0 = Date.now();
  console.log(`\n━━ ${label} ━━ ${command} ${argv.join(' ')}`);
  const r = spawnSync(command, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  console.log(`━━ ${label}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return ok;
}
