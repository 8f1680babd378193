import fs from 'node:fs/promises';
import path from 'node:path';
import type { BuildDiagnostic } from '../../../shared/contract/functions';
import { dependencyError, looksOffline, offlineError } from './errors';
import { lineOfKey } from './manifest-check';
import type { Platform } from './platform';
import type { InstallProgress } from './progress';
import { runTool } from './run-tool';

export interface NpmPackage {
  name: string;
  version: string;
  /** Only needed for development (types, tools): installed here for the editor, not shipped. */
  dev: boolean;
  /** Path below the install folder, e.g. node_modules/lodash. */
  dir: string;
  hasInstallScript: boolean;
}

export interface NpmInstall {
  lockfile: string;
  packages: NpmPackage[];
  warnings: string[];
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  hasInstallScript?: boolean;
  link?: boolean;
}

const NPM_TIMEOUT_MS = 5 * 60_000;

/**
 * npm install in `dir` (which holds package.json and maybe package-lock.json) for the image's
 * platform: --os/--cpu/--libc pick the right prebuilt optional packages (musl for alpine images),
 * and install scripts are not run (they would build for this machine, not for the image).
 * Development dependencies are installed too, for their types; they are left out of what ships.
 */
export async function npmInstall(
  dir: string,
  manifest: string,
  platform: Platform,
  opts: { env: NodeJS.ProcessEnv; progress: InstallProgress; signal?: AbortSignal | undefined },
): Promise<NpmInstall> {
  const env: NodeJS.ProcessEnv = { ...opts.env, npm_config_update_notifier: 'false', npm_config_progress: 'false' };
  delete env.NODE_ENV; // production would leave out devDependencies, whose types the editor wants
  const args = [
    'install',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    '--no-bin-links',
    `--os=linux`,
    `--cpu=${platform.arch}`,
    `--libc=${platform.libc}`,
    '--loglevel=http',
    // Few, short retries: an unreachable registry should fail in seconds, not minutes.
    '--fetch-retries=1',
    '--fetch-retry-mintimeout=1000',
    '--fetch-retry-maxtimeout=3000',
    '--fetch-timeout=30000',
  ];
  const run = await runTool(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd: dir,
    env,
    timeoutMs: NPM_TIMEOUT_MS,
    signal: opts.signal,
    onLine: (line) => {
      const fetch = /^npm http fetch GET (\d+) (\S+)/.exec(line);
      if (fetch) {
        if (/\/-\/[^/]+\.tgz$/.test(fetch[2]!)) opts.progress.downloaded(decodeURIComponent(fetch[2]!.split('/-/')[1]!));
        else opts.progress.resolved(decodeURIComponent(fetch[2]!.split('/').pop()!));
        return;
      }
      const cached = /^npm http cache (\S+)@\S+\.tgz/.exec(line);
      if (cached) return opts.progress.downloaded(`${cached[1]} (from npm's cache)`);
      if (/^npm http cache /.test(line)) return;
      if (/^(npm (warn|error|notice)|added |up to date|changed |removed )/.test(line)) opts.progress.log(line);
    },
  });
  if (run.startError) {
    throw dependencyError('tool-missing', `npm could not be started on this computer (${run.startError.code ?? run.startError.message}). Funcdeck installs Node.js dependencies with your npm: install Node.js with npm, or make npm reachable on PATH.`);
  }
  if (run.timedOut) throw dependencyError('install-failed', `npm install did not finish within ${NPM_TIMEOUT_MS / 60_000} minutes and was stopped.`, { log: run.lines });
  if (run.code !== 0) throw npmFailure(run.lines, manifest, env);

  const lockfile = await fs.readFile(path.join(dir, 'package-lock.json'), 'utf8');
  const packages = lockPackages(lockfile);
  const warnings: string[] = [];
  // The lockfile's hasInstallScript is not always written (npm leaves it out for some metadata), so each package's own package.json decides.
  const prod = packages.filter((p) => !p.dev);
  const native: string[] = [];
  const scripted: string[] = [];
  const exists = (f: string) =>
    fs.stat(f).then(
      () => true,
      () => false,
    );
  for (const p of prod) {
    const pkgDir = path.join(dir, p.dir);
    const meta = await fs
      .readFile(path.join(pkgDir, 'package.json'), 'utf8')
      .then((t) => JSON.parse(t) as { scripts?: Record<string, unknown>; gypfile?: boolean })
      .catch(() => null);
    if (!meta) continue; // an optional package not installed for this platform
    const scripts = meta.scripts ?? {};
    const gypfile = meta.gypfile === true;
    const hasScript = ['preinstall', 'install', 'postinstall'].some((k) => typeof scripts[k] === 'string');
    // A native addon either ships prebuilt binaries (node-gyp-build's prebuilds/linux-x64) or needs compiling (npm runs node-gyp for a binding.gyp).
    const gyp = (gypfile || (await exists(path.join(pkgDir, 'binding.gyp')))) && !(await exists(path.join(pkgDir, 'prebuilds', `linux-${platform.arch}`)));
    if (gyp) native.push(`${p.name}@${p.version}`);
    else if (hasScript || p.hasInstallScript) scripted.push(`${p.name}@${p.version}`);
  }
  if (native.length) {
    const first = native[0]!.replace(/@[^@]*$/, '');
    throw dependencyError(
      'native',
      `${native.join(', ')} ${native.length > 1 ? 'are native addons' : 'is a native addon'} that must be compiled for the image (${platform.libc}, ${platform.arch}) by an install script, which Funcdeck does not run on your computer. Use a pure JavaScript package instead, or one that ships prebuilt binaries as optional packages.`,
      { package: first, diagnostics: [diagAt(manifest, first, `${first} needs a native build for the image, which Funcdeck cannot do; use a pure JavaScript alternative.`)] },
    );
  }
  if (scripted.length) warnings.push(`Install scripts were not run for ${scripted.join(', ')}; if ${scripted.length > 1 ? 'they need them' : 'it needs one'} at run time, it may fail in the pod.`);
  return { lockfile, packages, warnings };
}

/** Every installed package from a package-lock.json (lockfileVersion 2 or 3). */
export function lockPackages(lockfile: string): NpmPackage[] {
  let lock: { packages?: Record<string, LockEntry> };
  try {
    lock = JSON.parse(lockfile) as typeof lock;
  } catch {
    return [];
  }
  return Object.entries(lock.packages ?? {})
    .filter(([dir, e]) => dir.startsWith('node_modules/') && !e.link)
    .map(([dir, e]) => ({
      name: dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length),
      version: e.version ?? '?',
      dev: !!e.dev,
      dir,
      hasInstallScript: !!e.hasInstallScript,
    }));
}

function diagAt(manifest: string, pkg: string, message: string): BuildDiagnostic {
  const depsAt = Math.max(0, manifest.indexOf('"dependencies"'));
  const line = manifest.includes(JSON.stringify(pkg)) ? lineOfKey(manifest, pkg, depsAt) : lineOfKey(manifest, 'dependencies');
  return { file: 'package.json', line, column: 1, message, severity: 'error', source: 'manifest' };
}

function npmFailure(lines: string[], manifest: string, env: NodeJS.ProcessEnv) {
  const text = lines.join('\n');
  const code = /npm error code (\S+)/.exec(text)?.[1] ?? '';
  if (code === 'E404') {
    const spec = /'((?:@[^/'\s]+\/)?[^@'\s]+)@([^']*)' (?:could not be found|is not in this registry)/.exec(text) ?? /404 Not Found - GET \S+\/((?:@[^/\s]+(?:%2f|\/))?[^/\s]+)$/im.exec(text);
    const name = spec ? decodeURIComponent(spec[1]!) : 'a package';
    return dependencyError('not-found', `The package ${name} does not exist on the npm registry (or you may not read it). Check its name in package.json.`, {
      package: name,
      diagnostics: [diagAt(manifest, name, `${name} does not exist on the npm registry.`)],
      log: lines,
    });
  }
  if (code === 'ETARGET') {
    const m = /No matching version found for ((?:@[^/\s]+\/)?[^@\s]+)@(\S+?)\.?$/m.exec(text);
    const name = m?.[1] ?? 'a package';
    return dependencyError('no-matching-version', `No version of ${name} matches "${m?.[2] ?? '?'}". Check the version in package.json (npm view ${name} versions lists them).`, {
      package: name,
      diagnostics: [diagAt(manifest, name, `No version of ${name} matches "${m?.[2] ?? '?'}".`)],
      log: lines,
    });
  }
  if (looksOffline(lines)) return offlineError('npm', env.npm_config_registry ?? null, lines);
  const errors = lines.filter((l) => l.startsWith('npm error') && !/complete log of this run/.test(l)).map((l) => l.replace(/^npm error\s*/, ''));
  return dependencyError('install-failed', `npm install failed${code ? ` (${code})` : ''}: ${errors.slice(0, 6).join(' ').slice(0, 600) || 'see the build log'}`, { log: lines });
}
