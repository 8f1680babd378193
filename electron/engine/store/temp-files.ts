import fs from 'node:fs/promises';
import path from 'node:path';

/** The temp files our atomic writers make: `<file>.<8 hex>.tmp` (json-file, local-files). */
const OUR_TEMP = /\.[0-9a-f]{8}\.tmp$/;
/** Folders never holding them (big and many files): log segments are appended, not replaced. */
const SKIP = new Set(['logs']);

/**
 * Removes the temp files that atomic writes interrupted by a crash left in the data dir. Call it only
 * while holding the data dir's lock (no other engine can be writing one right now). Returns the
 * paths removed.
 */
export async function removeStaleTempFiles(dataDir: string): Promise<string[]> {
  const removed: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 6 && !(depth === 0 && SKIP.has(e.name))) await walk(p, depth + 1);
      else if (e.isFile() && OUR_TEMP.test(e.name)) {
        await fs.rm(p, { force: true });
        removed.push(p);
      }
    }
  }
  await walk(dataDir, 0);
  return removed;
}
