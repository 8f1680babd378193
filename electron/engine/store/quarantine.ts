import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import { reportStoreProblem } from './problems';

/** `<file>.corrupt-<time>`, not yet taken (two damaged versions of one file keep both). */
function asideName(file: string, exists: (p: string) => boolean): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let name = `${file}.corrupt-${stamp}`;
  for (let i = 2; exists(name); i++) name = `${file}.corrupt-${stamp}-${i}`;
  return name;
}

export interface Damage {
  /** What the file holds, for the message: "Settings", "Saved requests of hello". */
  what: string;
  /** How it is damaged: "not valid JSON", "2 unreadable lines". */
  reason: string;
  /** What the engine does instead: "defaults are used". */
  instead: string;
}

const message = (file: string, keptAs: string | null, d: Damage, error?: string) =>
  keptAs
    ? `${d.what} (${file}) was damaged: ${d.reason}. It was kept as ${keptAs}; ${d.instead}.`
    : `${d.what} (${file}) is damaged: ${d.reason}, and could not be kept aside (${error}); ${d.instead}. Move it away by hand.`;

/**
 * Keeps a damaged file's content aside as `<file>.corrupt-<time>` and reports it: moved (the store
 * starts afresh or writes back what it could read) or, with `copy`, copied (the file stays).
 */
export async function keepAside(file: string, d: Damage, opts: { copy?: boolean } = {}): Promise<string | null> {
  const exists = (p: string) => fsSync.existsSync(p);
  const target = asideName(file, exists);
  try {
    if (opts.copy) await fs.copyFile(file, target, fsSync.constants.COPYFILE_EXCL);
    else await fs.rename(file, target);
    reportStoreProblem({ file, keptAs: target, problem: message(file, target, d) });
    return target;
  } catch (e) {
    reportStoreProblem({ file, keptAs: null, problem: message(file, null, d, (e as Error).message) });
    return null;
  }
}

/** keepAside for stores read synchronously at start (settings, selection); always moves. */
export function keepAsideSync(file: string, d: Damage): string | null {
  const target = asideName(file, (p) => fsSync.existsSync(p));
  try {
    fsSync.renameSync(file, target);
    reportStoreProblem({ file, keptAs: target, problem: message(file, target, d) });
    return target;
  } catch (e) {
    reportStoreProblem({ file, keptAs: null, problem: message(file, null, d, (e as Error).message) });
    return null;
  }
}
