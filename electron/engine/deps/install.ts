import path from 'node:path';
import fs from 'node:fs/promises';
import type { ImagePlatform, RuntimeId } from '../../../shared/contract/settings';
import { listFiles, packArchive, type ArchiveEntry } from './archive';
import { cacheKey, DepsCache, type CachedInstall } from './cache';
import { dependencyError } from './errors';
import { checkPackageJson, checkRequirements } from './manifest-check';
import { lockPackages, npmInstall } from './npm-install';
import { pipInstall, SITE_DIR } from './pip-install';
import { imagePlatform, platformKey } from './platform';
import { createProgress, formatBytes } from './progress';
import { MAX_ARCHIVE_BYTES, tooLargeError } from './limits';

/** The lockfile each runtime writes beside its manifest, among the function's files. */
export const LOCKFILE: Record<RuntimeId, string> = { nodejs: 'package-lock.json', python: 'requirements.lock' };

export interface PrepareParams {
  runtime: RuntimeId;
  /** package.json or requirements.txt text. */
  manifest: string;
  /** The lockfile among the function's files, if there is one. */
  lockfile: string | null;
  image: string;
  imagePlatforms?: Record<string, ImagePlatform> | undefined;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Build log lines and a short status for the deploy step. */
  onLine?: (line: string) => void;
  onStatus?: (text: string) => void;
  signal?: AbortSignal | undefined;
}

export interface PreparedDependencies extends CachedInstall {
  /** True when nothing was installed now (the cache had it). */
  cached: boolean;
  /** Where the install lives on this machine (node_modules' parent, or pip's target folder). */
  installDir: string;
}

/** Whether a manifest names anything to install (development dependencies count: their types serve the editor). */
export function wantsInstall(runtime: RuntimeId, manifest: string): boolean {
  const text = manifest.trim();
  if (!text) return false;
  if (runtime === 'python') return text.split('\n').some((l) => l.trim() && !l.trim().startsWith('#') && !l.trim().startsWith('-'));
  try {
    const pkg = JSON.parse(text) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((f) => {
      const v = pkg[f];
      return !!v && typeof v === 'object' && Object.keys(v).length > 0;
    });
  } catch {
    return true; // a broken manifest is reported, never silently skipped
  }
}

const pythonOf = (env: NodeJS.ProcessEnv) => env.FUNCDECK_PYTHON ?? 'python3';
const inflight = new Map<string, Promise<PreparedDependencies>>();

/**
 * Dependencies for one function, installed on this machine for its image's platform, or taken from
 * the cache when this manifest and lockfile were installed for this image before. Null when the
 * manifest names none. Throws BUILD_FAILED (details.dependencies.kind) for every bad input.
 */
export async function prepareDependencies(p: PrepareParams): Promise<PreparedDependencies | null> {
  if (!wantsInstall(p.runtime, p.manifest)) return null;
  const file = p.runtime === 'nodejs' ? 'package.json' : 'requirements.txt';
  const diagnostics = p.runtime === 'nodejs' ? checkPackageJson(p.manifest) : (await checkRequirements(p.manifest, pythonOf(p.env))).diagnostics;
  if (diagnostics.length) {
    const d = diagnostics[0]!;
    throw dependencyError('invalid-manifest', `${file} line ${d.line}: ${d.message}`, { diagnostics });
  }
  const platform = imagePlatform(p.runtime, p.image, p.imagePlatforms);
  const cache = new DepsCache(p.dataDir);
  const key = cacheKey({ runtime: p.runtime, image: p.image, platform: platformKey(platform), manifest: p.manifest, lockfile: p.lockfile });
  const log = (line: string) => p.onLine?.(line);

  const hit = await cache.lookup(key);
  if (hit) {
    log(`Dependencies unchanged since ${hit.createdAt}: using the install cached on this computer (${describe(hit)}); nothing installed.`);
    p.onStatus?.(`cached: ${describe(hit)}`);
    return checkSize({ ...hit, cached: true, installDir: cache.installDir(hit.key) });
  }
  let run = inflight.get(key);
  if (!run) {
    run = install(p, cache, key, platform).finally(() => inflight.delete(key));
    inflight.set(key, run);
  }
  return checkSize(await run);
}

function describe(r: CachedInstall): string {
  const shipped = r.packages.filter((x) => !x.dev).length;
  return `${shipped} package${shipped === 1 ? '' : 's'}${r.archive ? `, ${formatBytes(r.archive.bytes)} compressed` : ''}`;
}

function checkSize(r: PreparedDependencies): PreparedDependencies {
  if (r.archive && r.archive.bytes > MAX_ARCHIVE_BYTES) throw tooLargeError(r.archive.bytes, r.archive.unpackedBytes, r.packages);
  return r;
}

async function install(p: PrepareParams, cache: DepsCache, key: string, platform: ReturnType<typeof imagePlatform>): Promise<PreparedDependencies> {
  const started = Date.now();
  const log = (line: string) => p.onLine?.(line);
  const progress = createProgress({ line: log, status: (t) => p.onStatus?.(t) });
  log(`Installing dependencies on this computer for ${p.image}: ${platform.how}.`);
  const work = await cache.workDir();
  const dir = path.join(work, 'install');
  try {
    let lockfile: string;
    let packages: CachedInstall['packages'];
    let warnings: string[];
    let entries: ArchiveEntry[];
    if (p.runtime === 'nodejs') {
      await fs.writeFile(path.join(dir, 'package.json'), p.manifest);
      if (p.lockfile !== null) await fs.writeFile(path.join(dir, 'package-lock.json'), p.lockfile);
      const out = await npmInstall(dir, p.manifest, platform, { env: p.env, progress, signal: p.signal });
      lockfile = out.lockfile;
      warnings = out.warnings;
      packages = out.packages.map((x) => ({ name: x.name, version: x.version, ...(x.dev ? { dev: true } : {}) }));
      entries = await nodeEntries(dir, out.lockfile);
    } else {
      const out = await pipInstall(dir, p.manifest, p.lockfile, platform, { python: pythonOf(p.env), env: p.env, progress, signal: p.signal });
      lockfile = out.lockfile;
      warnings = out.warnings;
      packages = out.packages.map((x) => ({ name: x.name, version: x.version }));
      entries = await listFiles(path.join(dir, SITE_DIR), (rel, isDir) => (isDir ? rel !== '__pycache__' && !rel.endsWith('/__pycache__') && rel !== 'bin' : !rel.endsWith('.pyc')));
    }
    const shipped = packages.filter((x) => !x.dev).length;
    progress.installed(shipped, entries.length ? await sizeOf(entries) : 0);
    const packed = entries.length ? await packArchive(entries) : null;
    for (const w of warnings) log(`Warning: ${w}`);
    const result: CachedInstall = {
      key,
      runtime: p.runtime,
      image: p.image,
      platform,
      lockfile: { path: LOCKFILE[p.runtime], content: lockfile },
      packages,
      archive: packed ? { digest: packed.digest, bytes: packed.gz.length, files: packed.files, unpackedBytes: packed.unpackedBytes, allocatedBytes: packed.allocatedBytes } : null,
      warnings,
      installMs: Date.now() - started,
      createdAt: new Date().toISOString(),
    };
    log(`Dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s: ${describe(result)}.`);
    await cache.commit(work, result, packed?.gz ?? null);
    // The same manifest with the lockfile this install wrote (or rewrote) is this very install.
    const platformName = platformKey(platform);
    await cache.alias(cacheKey({ runtime: p.runtime, image: p.image, platform: platformName, manifest: p.manifest, lockfile }), key);
    void cache.evict().catch(() => undefined);
    return { ...result, cached: false, installDir: cache.installDir(key) };
  } catch (e) {
    await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}

async function sizeOf(entries: ArchiveEntry[]): Promise<number> {
  let n = 0;
  for (const e of entries) n += (await fs.stat(e.abs)).size;
  return n;
}

/** What of node_modules ships: files of the production packages, without type declarations and source maps (never loaded at run time). */
async function nodeEntries(dir: string, lockfile: string): Promise<ArchiveEntry[]> {
  const pkgs = lockPackages(lockfile);
  const prodDirs = new Map(pkgs.map((x) => [x.dir, !x.dev]));
  const owner = (rel: string): boolean | undefined => {
    // The innermost package folder holding this path decides (node_modules/a/node_modules/b/...).
    let at = rel.lastIndexOf('node_modules/');
    while (at >= 0) {
      const rest = rel.slice(at + 'node_modules/'.length).split('/');
      const name = rest[0]!.startsWith('@') ? rest.slice(0, 2).join('/') : rest[0]!;
      const pkgDir = rel.slice(0, at) + 'node_modules/' + name;
      if (prodDirs.has(pkgDir)) return prodDirs.get(pkgDir);
      at = at === 0 ? -1 : rel.lastIndexOf('node_modules/', at - 1);
    }
    return undefined;
  };
  const root = path.join(dir, 'node_modules');
  const exists = await fs.stat(root).then(
    () => true,
    () => false,
  );
  if (!exists) return [];
  const files = await listFiles(root, (rel, isDir) => {
    const full = `node_modules/${rel}`;
    if (isDir) return rel !== '.bin' && !rel.endsWith('/.bin') && owner(`${full}/`) !== false;
    return owner(full) === true && !/\.(d\.[cm]?ts|map)$/.test(rel);
  });
  return files.map((f) => ({ path: `node_modules/${f.path}`, abs: f.abs }));
}
