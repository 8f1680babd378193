import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Fake kubectl exec credential plugins for tests: shell scripts whose path carries a unique marker,
 * so the process table (/proc) shows whether any of their processes is still alive.
 *   hang   never answers, and starts a child (also marked) that never ends either
 *   ok     prints `credential` as an ExecCredential (its status), with expirationTimestamp `expiresInS` from now when given
 *   fail   prints to stderr and exits 1
 *   prompt wants to ask for a password: reads /dev/tty if it can, then stdin; without either fails saying so
 * `leaveChild` (ok): leaves a marked background process behind, still holding its output open.
 * Every run appends a line to `runs` (its pid) and writes the KUBERNETES_EXEC_INFO it got to `info`.
 */
export interface FakePlugin {
  marker: string;
  command: string;
  /** The `exec` entry of a kubeconfig user. */
  exec(extra?: Record<string, unknown>): Record<string, unknown>;
  runs(): number;
  lastExecInfo(): unknown;
  /** Pids of live processes whose command line carries the marker. */
  alive(): number[];
}

export type FakeMode = 'hang' | 'ok' | 'fail' | 'prompt';

export function fakePlugin(
  dir: string,
  mode: FakeMode,
  opts: { credential?: Record<string, unknown>; expiresInS?: number; name?: string; leaveChild?: boolean } = {},
): FakePlugin {
  const marker = `fdplug${randomBytes(5).toString('hex')}`;
  const base = opts.name ?? `plugin-${mode}`;
  const command = path.join(dir, `${base}-${marker}.sh`);
  const runsFile = path.join(dir, `${marker}.runs`);
  const infoFile = path.join(dir, `${marker}.info`);
  const credFile = path.join(dir, `${marker}.json`);
  if (opts.credential) fs.writeFileSync(credFile, JSON.stringify(opts.credential));
  const child = `sh -c 'sleep 1000; :' ${marker} &\n`;
  const body: Record<FakeMode, string> = {
    hang: `${child}sleep 1000\n`,
    ok: (opts.leaveChild ? child : '') + (opts.expiresInS
      ? `exp=$(date -u -d "@$(( $(date +%s) + ${opts.expiresInS} ))" +%Y-%m-%dT%H:%M:%SZ)\n` +
        `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":%s}' "$(sed "s/}$/,\\"expirationTimestamp\\":\\"$exp\\"}/" '${credFile}')"\n`
      : `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":%s}' "$(cat '${credFile}')"\n`),
    fail: `echo "error: you must be logged in to the server (token expired)" >&2\nexit 1\n`,
    prompt:
      `if (exec 3</dev/tty) 2>/dev/null; then exec 3</dev/tty; read -r pw <&3; fi\n` +
      `read -r pw || { echo "error: cannot prompt for the password: no terminal (interactive login required)" >&2; exit 1; }\n` +
      `echo "error: wrong password" >&2\nexit 1\n`,
  };
  fs.writeFileSync(command, `#!/bin/sh\necho $$ >> '${runsFile}'\nprintf '%s' "$KUBERNETES_EXEC_INFO" > '${infoFile}'\n${body[mode]}`, { mode: 0o755 });
  return {
    marker,
    command,
    exec: (extra = {}) => ({ apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never', ...extra }),
    runs: () => (fs.existsSync(runsFile) ? fs.readFileSync(runsFile, 'utf8').trim().split('\n').filter(Boolean).length : 0),
    lastExecInfo: () => (fs.existsSync(infoFile) ? JSON.parse(fs.readFileSync(infoFile, 'utf8')) : undefined),
    alive: () => processesWith(marker),
  };
}

/** Pids of live processes (not zombies) whose command line contains `text`. */
export function processesWith(text: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.includes(text)) out.push(Number(name));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}
