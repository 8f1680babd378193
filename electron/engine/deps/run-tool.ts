import { spawn } from 'node:child_process';

export interface ToolRun {
  code: number | null;
  /** stdout and stderr lines, in arrival order (the last MAX_KEPT). */
  lines: string[];
  timedOut: boolean;
  /** Set when the program could not be started at all (ENOENT: not installed). */
  startError: NodeJS.ErrnoException | null;
}

const MAX_KEPT = 4000;

/**
 * Runs a package manager (npm, pip) to completion: every output line goes to `onLine` as it
 * comes, and the whole process group is killed at the deadline or on abort (npm and pip start
 * children of their own, which must end with the call).
 */
export function runTool(
  command: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; signal?: AbortSignal | undefined; onLine?: (line: string) => void },
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    let timedOut = false;
    let settled = false;
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killAll = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, opts.timeoutMs);
    const onAbort = () => killAll();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, startError: NodeJS.ErrnoException | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      flush(out, true);
      flush(err, true);
      resolve({ code, lines, timedOut, startError });
    };
    const out = { buf: '' };
    const err = { buf: '' };
    const flush = (s: { buf: string }, all: boolean) => {
      const parts = s.buf.split(/\r?\n|\r/);
      s.buf = all ? '' : parts.pop()!;
      for (const raw of all ? parts.filter((p) => p.length) : parts) {
        // eslint-disable-next-line no-control-regex -- terminal colour codes npm and pip may print
        const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd();
        if (!line) continue;
        lines.push(line);
        if (lines.length > MAX_KEPT) lines.splice(0, lines.length - MAX_KEPT);
        opts.onLine?.(line);
      }
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => ((out.buf += c), flush(out, false)));
    child.stderr.on('data', (c: string) => ((err.buf += c), flush(err, false)));
    child.on('error', (e: NodeJS.ErrnoException) => finish(null, e));
    child.on('close', (code) => finish(code, null));
    // A grandchild left running (npm starts some) can hold the pipes open after the tool exited:
    // the answer is the tool's exit, with whatever output arrives within a moment of it.
    child.on('exit', (code) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, null);
      }, 300).unref();
    });
  });
}
