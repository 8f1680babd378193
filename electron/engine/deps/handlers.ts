import type { EditorPackages } from '../../../shared/contract/deps';
import { FuncdeckError } from '../../../shared/contract/errors';
import type { EngineContext } from '../context';
import type { CallHandlers } from '../handlers';
import { directPackages, nodeTypeFiles, pythonModules } from './editor-types';
import { prepareDependencies, wantsInstall } from './install';
import { installedFor } from './type-step';

/** deps.types and deps.install (shared/contract/deps.ts). */
export function depsHandlers(ctx: EngineContext): Pick<CallHandlers, 'deps.types' | 'deps.install'> {
  const files = (lockfile: string | null, runtime: 'nodejs' | 'python') => (lockfile === null ? [] : [{ path: runtime === 'nodejs' ? 'package-lock.json' : 'requirements.lock', content: lockfile }]);
  return {
    'deps.types': async ({ runtime, dependencies, lockfile, image: own }) => {
      const empty: EditorPackages = { state: 'none', packages: [], typeFiles: [], truncated: false, pythonModules: [] };
      if (!wantsInstall(runtime, dependencies)) return empty;
      const image = own ?? (await ctx.settings.runtimeImages())[runtime];
      const found = await installedFor({ runtime, dependencies, files: files(lockfile, runtime) }, image, ctx.options.dataDir, ctx.settings.get().imagePlatforms);
      if (!found) return { ...empty, state: 'missing' };
      const packages = found.packages;
      if (runtime === 'python') return { ...empty, state: 'installed', packages, pythonModules: await pythonModules(found.installDir) };
      const types = await nodeTypeFiles(found.installDir, directPackages(runtime, dependencies));
      return { ...empty, state: 'installed', packages, typeFiles: types.files, truncated: types.truncated };
    },
    'deps.install': async ({ runtime, dependencies, lockfile, image: own }) => {
      const image = own ?? (await ctx.settings.runtimeImages())[runtime];
      const prepared = await prepareDependencies({
        runtime,
        manifest: dependencies,
        lockfile,
        image,
        imagePlatforms: ctx.settings.get().imagePlatforms,
        dataDir: ctx.options.dataDir,
        env: ctx.options.env,
      });
      if (!prepared) throw new FuncdeckError('BAD_REQUEST', `${runtime === 'nodejs' ? 'package.json' : 'requirements.txt'} names no packages, so there is nothing to install.`);
      return {
        packages: prepared.packages,
        lockfile: prepared.lockfile,
        cached: prepared.cached,
        bytes: prepared.archive?.bytes ?? null,
        warnings: prepared.warnings,
      };
    },
  };
}
