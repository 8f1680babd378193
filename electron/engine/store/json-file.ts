import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';
import { reportStoreProblem } from './problems';
import { keepAside, keepAsideSync } from './quarantine';

export interface JsonStore {
  /** What the file holds, for the report: "Settings", "A draft". */
  what: string;
  /** What is used instead when it is damaged: "defaults are used". */
  instead: string;
  /** False when the parsed value is not what the store can use (checked with its schema). */
  accept?: (value: unknown) => boolean;
}

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

function parse(text: string, store: JsonStore): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  if (store.accept && !store.accept(value)) return { ok: false, reason: 'valid JSON, but not what Funcdeck expects there' };
  return { ok: true, value };
}

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Reads a JSON file; undefined when it does not exist. A damaged file (a hand edit gone wrong, a
 * disk fault) must neither stop the app nor be overwritten by the next save: it is kept aside as
 * `<file>.corrupt-<time>` and reported, then read as undefined. An unreadable file is reported and
 * left in place.
 */
export async function readJson(file: string, store: JsonStore): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (!missing(e)) reportUnreadable(file, store, e);
    return undefined;
  }
  const parsed = parse(text, store);
  if (parsed.ok) return parsed.value;
  await keepAside(file, { what: store.what, reason: parsed.reason, instead: store.instead });
  return undefined;
}

/** readJson for the tiny files read synchronously at start (settings, selection). */
export function readJsonSync(file: string, store: JsonStore): unknown {
  let text: string;
  try {
    text = fsSync.readFileSync(file, 'utf8');
  } catch (e) {
    if (!missing(e)) reportUnreadable(file, store, e);
    return undefined;
  }
  const parsed = parse(text, store);
  if (parsed.ok) return parsed.value;
  keepAsideSync(file, { what: store.what, reason: parsed.reason, instead: store.instead });
  return undefined;
}

function reportUnreadable(file: string, store: JsonStore, e: unknown): void {
  reportStoreProblem({ file, keptAs: null, problem: `${store.what} (${file}) could not be read: ${(e as Error).message}; ${store.instead}. Check the file's permissions.` });
}

/**
 * Writes a file atomically: a temp file in the same folder (`<file>.<8 hex>.tmp`, which
 * removeStaleTempFiles cleans after a crash), flushed to disk, then renamed over the file, so a crash
 * or power cut leaves the old content or the new, never half of it.
 */
export async function writeTextAtomic(file: string, data: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await fs.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Writes JSON atomically (see writeTextAtomic). */
export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  return writeTextAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Runs async jobs one after another (writes to the same file must not interleave). */
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
}
