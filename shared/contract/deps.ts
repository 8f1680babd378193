import { z } from 'zod';
import { call } from './define';
import { SourceFile } from './functions';
import { RuntimeId } from './settings';

/**
 * Dependencies installed on this machine for a function (electron/engine/deps): what the editor
 * knows about them (types for TypeScript/JavaScript, importable names for Python), and installing
 * them without deploying. The image is the selected context's for the runtime.
 */

export const DepsQuery = z.object({
  runtime: RuntimeId,
  /** package.json or requirements.txt text. */
  dependencies: z.string().max(64 * 1024, 'Keep the dependency manifest under 64 KB.'),
  /** The lockfile among the function's files (package-lock.json, requirements.lock), if any. */
  lockfile: z.string().max(700 * 1024).nullable().default(null),
  /** The function's own image (spec.image), when it sets one; otherwise the context's image for the runtime. */
  image: z.string().min(1).max(300).nullable().default(null),
});

export const InstalledPackage = z.object({ name: z.string(), version: z.string(), dev: z.boolean().optional() });

export const EditorPackages = z.object({
  /** none: the manifest names nothing; missing: not installed on this computer yet (deploy or install); installed. */
  state: z.enum(['none', 'missing', 'installed']),
  packages: z.array(InstalledPackage),
  /** Declaration files and package.json files, at paths like node_modules/lodash/index.d.ts (Node.js). */
  typeFiles: z.array(SourceFile.extend({ path: z.string().max(1000) })),
  /** True when more types exist than the editor is sent (bounded to a few MB). */
  truncated: z.boolean(),
  /** Top-level importable module names (Python). */
  pythonModules: z.array(z.string()),
});
export type EditorPackages = z.infer<typeof EditorPackages>;

export const InstallResult = z.object({
  packages: z.array(InstalledPackage),
  /** The lockfile of this install: add it to the function's files. */
  lockfile: SourceFile,
  /** True when nothing was installed now (this computer's cache had it). */
  cached: z.boolean(),
  /** Compressed size of what ships to the cluster; null when nothing does. */
  bytes: z.number().int().nullable(),
  warnings: z.array(z.string()),
});
export type InstallResult = z.infer<typeof InstallResult>;

export const depsCalls = {
  /** The installed packages' types or module names for the editor; nothing is installed. */
  'deps.types': call(DepsQuery, EditorPackages),
  /** Installs (or finds in the cache) without deploying. Bad input rejects with BUILD_FAILED, details as a deploy's. */
  'deps.install': call(DepsQuery, InstallResult),
};
export const depsStreams = {};
