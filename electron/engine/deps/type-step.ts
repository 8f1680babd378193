import type { BuildDiagnostic, FunctionSpec } from '../../../shared/contract/functions';
import { languageOf } from '../../../shared/contract/functions';
import type { ImagePlatform } from '../../../shared/contract/settings';
import { cacheKey, DepsCache, type CachedInstall } from './cache';
import { wantsInstall } from './install';
import { imagePlatform, platformKey } from './platform';
import { typeCheck } from './typecheck';
import { lockfileOf } from './deploy-step';

export interface TypeStep {
  diagnostics: BuildDiagnostic[];
  /** Said in the build step or the editor when the check ran without the packages' types. */
  note: string | null;
}

/**
 * Where this spec's dependencies are installed on this machine, if they are (a cache lookup only:
 * nothing is installed), for the editor's checks and types. Null when none are, or none are wanted.
 */
export async function installedDir(spec: Pick<FunctionSpec, 'runtime' | 'dependencies' | 'files'>, image: string, dataDir: string, platforms: Record<string, ImagePlatform> = {}): Promise<string | null> {
  return (await installedFor(spec, image, dataDir, platforms))?.installDir ?? null;
}

/** The cached install for this spec and image, with its folder; null when there is none. */
export async function installedFor(
  spec: Pick<FunctionSpec, 'runtime' | 'dependencies' | 'files'>,
  image: string,
  dataDir: string,
  platforms: Record<string, ImagePlatform> = {},
): Promise<(CachedInstall & { installDir: string }) | null> {
  if (!wantsInstall(spec.runtime, spec.dependencies)) return null;
  let platform;
  try {
    platform = imagePlatform(spec.runtime, image, platforms);
  } catch {
    return null;
  }
  const cache = new DepsCache(dataDir);
  const key = cacheKey({ runtime: spec.runtime, image, platform: platformKey(platform), manifest: spec.dependencies, lockfile: lockfileOf(spec)?.content ?? null });
  const hit = await cache.lookup(key);
  return hit ? { ...hit, installDir: cache.installDir(hit.key) } : null;
}

/** Names a package.json lists, so a missing install does not read as "Cannot find module" for each. */
function listedPackages(manifest: string): Set<string> {
  try {
    const pkg = JSON.parse(manifest) as Record<string, Record<string, unknown> | undefined>;
    return new Set(['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((f) => Object.keys(pkg[f] ?? {})));
  } catch {
    return new Set();
  }
}

/**
 * Type errors of a TypeScript function: against its installed packages when `installDir` is known,
 * otherwise without them (imports of listed packages are then not reported as missing, and the
 * note says the check will be complete once they are installed).
 */
export function typeStep(spec: FunctionSpec, installDir: string | null, blocking: boolean): TypeStep {
  if (languageOf(spec) !== 'typescript') return { diagnostics: [], note: null };
  const diagnostics = typeCheck({ files: spec.files, installDir, blocking });
  if (installDir || !wantsInstall(spec.runtime, spec.dependencies)) return { diagnostics, note: null };
  const listed = listedPackages(spec.dependencies);
  const missing = (d: BuildDiagnostic) => /TS(2307|7016)\)$/.test(d.message) && [...listed].some((p) => d.message.includes(`'${p}'`) || d.message.includes(`'${p}/`));
  return {
    diagnostics: diagnostics.filter((d) => !missing(d)),
    note: 'Types were checked without your packages, which are not installed on this computer yet: deploy (or install them from package.json) to check against their types.',
  };
}
