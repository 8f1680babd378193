import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SERVER_FILES = {
  nodejs: path.join(here, 'nodejs', 'server.cjs'),
  python: path.join(here, 'python', 'server.py'),
} as const;

export interface LocalRuntime {
  http: string;
  metrics: string;
  /** Everything the process printed so far, line by line. */
  lines: string[];
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Starts a runtime server as a local child process on free loopback ports, against a temp folder
 * holding the handler files: the same code the pod runs, without a cluster.
 */
export async function startLocalRuntime(
  runtime: 'nodejs' | 'python',
  files: Record<string, string>,
  env: Record<string, string> = {},
): Promise<LocalRuntime> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fd-rt-${runtime}-`));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  const cmd = runtime === 'nodejs' ? process.execPath : 'python3';
  const child = spawn(cmd, [SERVER_FILES[runtime]], {
    env: {
      PATH: process.env.PATH ?? '',
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1', // server.py imports its sibling modules: no __pycache__ in the source tree
      FUNCDECK_SRC_DIR: dir,
      FUNCDECK_DEPS_DIR: path.join(dir, '.deps'),
      FUNCDECK_HOST: '127.0.0.1',
      FUNCDECK_HTTP_PORT: '0',
      FUNCDECK_METRICS_PORT: '0',
      FUNCDECK_FUNCTION_NAME: 'local-fn',
      FUNCDECK_REVISION: '7',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const collect = (stream: NodeJS.ReadableStream) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const ports = await new Promise<{ http: number; metrics: number } | null>((resolve) => {
    const started = Date.now();
    const tick = () => {
      const m = lines.map((l) => /listening on :(\d+), metrics on :(\d+)/.exec(l)).find(Boolean);
      if (m) return resolve({ http: Number(m[1]), metrics: Number(m[2]) });
      if (child.exitCode !== null || Date.now() - started > 10_000) return resolve(null);
      setTimeout(tick, 20);
    };
    tick();
  });
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null) child.kill(signal);
    const code = await exited;
    fs.rmSync(dir, { recursive: true, force: true });
    return code;
  };
  if (!ports) {
    await stop();
    throw new Error(`runtime did not start:\n${lines.join('\n')}`);
  }
  return {
    http: `http://127.0.0.1:${ports.http}`,
    metrics: `http://127.0.0.1:${ports.metrics}`,
    lines,
    process: child,
    stop,
    exited,
  };
}

/** Waits until a printed line matches, for log assertions that race the process's own output. */
export async function waitForLine(rt: LocalRuntime, re: RegExp, ms = 3000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const hit = rt.lines.find((l) => re.test(l));
    if (hit) return hit;
    if (Date.now() - started > ms) throw new Error(`no line matching ${re} in:\n${rt.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
