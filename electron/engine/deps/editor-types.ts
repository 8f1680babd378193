import fs from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeId } from '../../../shared/contract/settings';
import { SITE_DIR } from './pip-install';

/**
 * What the editor needs to know about a function's installed packages: for TypeScript/JavaScript,
 * their type declarations (fed to Monaco's TypeScript worker, under node_modules/ as npm laid them
 * out, with each package.json so `types`/`exports` resolve); for Python, the importable names.
 * Bounded, so a package with huge types cannot flood the UI: the function's direct dependencies
 * (and their @types) come first, then what they use, until MAX_BYTES or MAX_FILES.
 */
export const MAX_TYPE_BYTES = 4 * 1024 * 1024;
export const MAX_TYPE_FILES = 2000;

export interface TypeFile {
  /** Relative to the install folder, e.g. node_modules/lodash/index.d.ts. */
  path: string;
  content: string;
}

const DECL = /\.d\.[cm]?ts$/;

async function walkDecl(root: string, rel: string, out: string[], limit: number): Promise<void> {
  if (out.length >= limit) return;
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) await walkDecl(root, r, out, limit);
    } else if (e.isFile() && (DECL.test(e.name) || e.name === 'package.json')) {
      out.push(r);
    }
    if (out.length >= limit) return;
  }
}

/** Package folders under node_modules (scoped ones too), nested node_modules included. */
async function packageDirs(root: string, rel = 'node_modules'): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => [])) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    if (e.name.startsWith('@')) {
      for (const s of await fs.readdir(path.join(root, rel, e.name), { withFileTypes: true }).catch(() => [])) if (s.isDirectory()) out.push(`${rel}/${e.name}/${s.name}`);
    } else {
      out.push(`${rel}/${e.name}`);
    }
  }
  const nested: string[] = [];
  for (const d of out) nested.push(...(await packageDirs(root, `${d}/node_modules`)));
  return [...out, ...nested];
}

const typesName = (pkg: string) => (pkg.startsWith('@') ? `@types/${pkg.slice(1).replace('/', '__')}` : `@types/${pkg}`);

export async function nodeTypeFiles(installDir: string, direct: string[]): Promise<{ files: TypeFile[]; truncated: boolean }> {
  const dirs = await packageDirs(installDir);
  const first = new Set(direct.flatMap((p) => [`node_modules/${p}`, `node_modules/${typesName(p)}`]));
  dirs.sort((a, b) => Number(first.has(b)) - Number(first.has(a)) || a.split('/node_modules/').length - b.split('/node_modules/').length || (a < b ? -1 : 1));
  const files: TypeFile[] = [];
  let bytes = 0;
  let truncated = false;
  for (const dir of dirs) {
    const found: string[] = [];
    await walkDecl(installDir, dir, found, MAX_TYPE_FILES);
    if (!found.some((f) => DECL.test(f))) continue; // no types: its package.json is not needed either
    for (const rel of found) {
      const content = await fs.readFile(path.join(installDir, rel), 'utf8').catch(() => null);
      if (content === null) continue;
      if (bytes + content.length > MAX_TYPE_BYTES || files.length >= MAX_TYPE_FILES) {
        truncated = true;
        return { files, truncated };
      }
      bytes += content.length;
      files.push({ path: rel, content });
    }
  }
  return { files, truncated };
}

/** Top-level importable names of a pip --target folder: packages (folders with __init__.py or modules) and single-file modules. */
export async function pythonModules(installDir: string): Promise<string[]> {
  const site = path.join(installDir, SITE_DIR);
  const names = new Set<string>();
  for (const e of await fs.readdir(site, { withFileTypes: true }).catch(() => [])) {
    if (e.name.startsWith('_')) continue; // private modules (_cffi_backend, __pycache__) are not what one imports
    if (e.isDirectory()) {
      if (/\.(dist|egg)-info$|^__pycache__$|^bin$/.test(e.name)) continue;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name)) names.add(e.name);
    } else if (/^[A-Za-z_][A-Za-z0-9_]*(\.py|\..*\.so|\.so)$/.test(e.name)) {
      names.add(e.name.split('.')[0]!);
    }
  }
  return [...names].sort();
}

/** The package names a manifest asks for directly (package.json dependency fields; requirement names). */
export function directPackages(runtime: RuntimeId, manifest: string): string[] {
  if (runtime === 'python') return manifest.split('\n').map((l) => /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(l)?.[1]).filter((x): x is string => !!x);
  try {
    const pkg = JSON.parse(manifest) as Record<string, Record<string, unknown> | undefined>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((f) => Object.keys(pkg[f] ?? {}));
  } catch {
    return [];
  }
}
