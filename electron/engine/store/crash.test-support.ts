import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');

/** The function whose history the crash writer appends to. */
export const HISTORY_KEY = { context: 'crash', namespace: 'dev', function: 'hello' };

/**
 * Runs crash-writer.test-support.ts as a real child process, lets it write for `afterMs` once its
 * first write is on disk, then kills it with SIGKILL (no exit handlers, no flush). Resolves once it
 * is gone. Everything has a deadline.
 */
export async function writeThenKill(kind: 'logs' | 'history' | 'atomic', dir: string, afterMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.test-support.ts'), kind, dir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`the ${kind} writer did not start within 20 s: ${err}`)), 20_000);
      child.stdout.on('data', (c: Buffer) => {
        if (c.toString().includes('writing')) {
          clearTimeout(deadline);
          resolve();
        }
      });
      void exited.then((how) => {
        clearTimeout(deadline);
        reject(new Error(`the ${kind} writer exited early (${String(how)}): ${err}`));
      });
    });
    await new Promise((r) => setTimeout(r, afterMs));
  } finally {
    child.kill('SIGKILL');
  }
  const how = await exited;
  if (how !== 'SIGKILL') throw new Error(`the ${kind} writer ended with ${String(how)}, not SIGKILL: ${err}`);
}
