import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeTextAtomic } from '../store/json-file';

/** A short stable folder name for a context (names may hold characters a path must not). */
export function contextKey(context: string): string {
  return createHash('sha256').update(context).digest('hex').slice(0, 16);
}

/** dataDir/<area>/<context-hash>/<namespace>: where a target's local records of one kind live. */
export function targetDir(dataDir: string, area: string, context: string, namespace: string): string {
  return path.join(dataDir, area, contextKey(context), namespace);
}

/** Writes a file atomically (temp file + rename), so a crash never leaves half of it. */
export const writeFileAtomic = writeTextAtomic;

export async function readTextOrEmpty(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** The non-empty lines of an NDJSON text (the last one may lack its newline). */
export function splitNdjson(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

/** Runs jobs for one key one after another (appends and rewrites of one file must not interleave). */
export function keyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const prev = tails.get(key) ?? Promise.resolve();
    const run = prev.then(job, job);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
