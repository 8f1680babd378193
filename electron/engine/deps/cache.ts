import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeId } from '../../../shared/contract/settings';
import { canonicalJson, sha256 } from '../build/checksum';
import type { Platform } from './platform';

/**
 * Finished installs in the data dir, one folder per key (runtime, image, platform, manifest,
 * lockfile): the install itself (for the editor's types and completions), the archive that ships,
 * and what was installed. An entry appears whole (installed in a temp folder, then renamed) or not
 * at all. A first install writes a lockfile; the same manifest with that lockfile is an alias of the
 * same entry, so deploying again with the lockfile the first deploy returned installs nothing.
 */

export interface InstalledPackage {
  name: string;
  version: string;
  /** Development-only (npm devDependencies): installed for the editor, not shipped. */
  dev?: boolean;
}

export interface CachedInstall {
  key: string;
  runtime: RuntimeId;
  image: string;
  platform: Platform;
  lockfile: { path: string; content: string };
  packages: InstalledPackage[];
  /** Null when nothing ships (only development dependencies). */
  archive: { digest: string; bytes: number; files: number; unpackedBytes: number; allocatedBytes: number } | null;
  warnings: string[];
  installMs: number;
  createdAt: string;
}

const VERSION = 'v2';
/** Entries kept; the least recently used beyond this are removed after each install. */
export const KEEP_ENTRIES = 30;

export interface CacheKeyInput {
  runtime: RuntimeId;
  image: string;
  platform: string;
  manifest: string;
  lockfile: string | null;
}

export const cacheKey = (k: CacheKeyInput) => sha256(canonicalJson({ v: VERSION, ...k, lockfile: k.lockfile ?? '' })).slice(0, 32);

export class DepsCache {
  readonly root: string;
  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'deps-cache', VERSION);
  }

  entryDir(key: string): string {
    return path.join(this.root, 'entries', key);
  }
  installDir(key: string): string {
    return path.join(this.entryDir(key), 'install');
  }
  archivePath(key: string): string {
    return path.join(this.entryDir(key), 'archive.tgz');
  }

  /** The entry for a key (following an alias), marked as used now; null when there is none. */
  async lookup(key: string): Promise<CachedInstall | null> {
    let real = key;
    try {
      real = (await fs.readFile(path.join(this.root, 'aliases', key), 'utf8')).trim();
    } catch {
      // not an alias
    }
    try {
      const file = path.join(this.entryDir(real), 'result.json');
      const result = JSON.parse(await fs.readFile(file, 'utf8')) as CachedInstall;
      const now = new Date();
      await fs.utimes(file, now, now).catch(() => undefined);
      return result;
    } catch {
      return null;
    }
  }

  async readArchive(key: string): Promise<Buffer> {
    return fs.readFile(this.archivePath(key));
  }

  /** A fresh work folder for an install; `commit` moves it into place as the entry. */
  async workDir(): Promise<string> {
    const dir = path.join(this.root, `.tmp-${Date.now()}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(path.join(dir, 'install'), { recursive: true });
    return dir;
  }

  async commit(work: string, result: CachedInstall, archive: Buffer | null): Promise<void> {
    if (archive) await fs.writeFile(path.join(work, 'archive.tgz'), archive);
    await fs.writeFile(path.join(work, 'result.json'), JSON.stringify(result, null, 1));
    await fs.mkdir(path.join(this.root, 'entries'), { recursive: true });
    try {
      await fs.rename(work, this.entryDir(result.key));
    } catch {
      await fs.rm(work, { recursive: true, force: true }); // another install of the same key won the race: same content
    }
  }

  async alias(key: string, target: string): Promise<void> {
    if (key === target) return;
    await fs.mkdir(path.join(this.root, 'aliases'), { recursive: true });
    const tmp = path.join(this.root, 'aliases', `.${key}.${randomBytes(4).toString('hex')}`);
    await fs.writeFile(tmp, target);
    await fs.rename(tmp, path.join(this.root, 'aliases', key));
  }

  /** Removes the least recently used entries beyond `keep`, aliases left pointing nowhere, and abandoned work folders. */
  async evict(keep = KEEP_ENTRIES): Promise<void> {
    const entries = await fs.readdir(path.join(this.root, 'entries')).catch(() => [] as string[]);
    const stamped = await Promise.all(
      entries.map(async (k) => ({ k, t: (await fs.stat(path.join(this.entryDir(k), 'result.json')).catch(() => null))?.mtimeMs ?? 0 })),
    );
    stamped.sort((a, b) => b.t - a.t);
    const gone = new Set(stamped.slice(keep).map((e) => e.k));
    for (const k of gone) await fs.rm(this.entryDir(k), { recursive: true, force: true });
    const aliases = await fs.readdir(path.join(this.root, 'aliases')).catch(() => [] as string[]);
    for (const a of aliases) {
      const target = (await fs.readFile(path.join(this.root, 'aliases', a), 'utf8').catch(() => '')).trim();
      if (!target || gone.has(target) || !entries.includes(target)) await fs.rm(path.join(this.root, 'aliases', a), { force: true });
    }
    const hour = Date.now() - 3600_000;
    for (const name of await fs.readdir(this.root).catch(() => [] as string[])) {
      if (!name.startsWith('.tmp-')) continue;
      const st = await fs.stat(path.join(this.root, name)).catch(() => null);
      if (st && st.mtimeMs < hour) await fs.rm(path.join(this.root, name), { recursive: true, force: true });
    }
  }
}
