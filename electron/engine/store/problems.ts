import path from 'node:path';
import type { StoreProblem } from '../../../shared/contract/app';

/**
 * Damaged local files found by the stores (kept aside, never silently overwritten), for app.info
 * to tell the user. One list per process: one engine writes a data dir at a time (data-dir-lock).
 */
const problems: StoreProblem[] = [];

export function reportStoreProblem(p: Omit<StoreProblem, 'at'>): void {
  problems.push({ ...p, at: new Date().toISOString() });
  console.warn(`Funcdeck: ${p.problem}`);
}

/** The problems of files inside `dataDir`, oldest first. */
export function storeProblemsIn(dataDir: string): StoreProblem[] {
  const root = path.resolve(dataDir) + path.sep;
  return problems.filter((p) => path.resolve(p.file).startsWith(root));
}
