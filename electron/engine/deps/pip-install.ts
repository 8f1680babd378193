import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { dependencyError, looksOffline, offlineError } from './errors';
import { lineOfRequirement } from './manifest-check';
import { wheelPlatformTags, type Platform } from './platform';
import type { InstallProgress } from './progress';
import { runTool } from './run-tool';

export interface PipPackage {
  name: string;
  version: string;
  sha256: string | null;
}

export interface PipInstall {
  lockfile: string;
  packages: PipPackage[];
  warnings: string[];
}

const PIP_TIMEOUT_MS = 5 * 60_000;
/** The folder, inside the install folder, that pip installs into (what ships, and what the editor reads). */
export const SITE_DIR = 'site';

export const requirementsDigest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** The lock's header names the requirements.txt it was made from: a lock of other requirements is only a constraint. */
function lockIsFor(lock: string, requirements: string): boolean {
  return new RegExp(`^# from requirements\\.txt sha256:${requirementsDigest(requirements)}\\b`, 'm').test(lock);
}

export function formatLock(requirements: string, platform: Platform, packages: PipPackage[]): string {
  const lines = [
    `# requirements.lock: the exact packages Funcdeck installed for requirements.txt. Commit it; deploys install exactly these.`,
    `# from requirements.txt sha256:${requirementsDigest(requirements)} for Python ${platform.python} (${platform.libc}, ${platform.arch})`,
  ];
  for (const p of [...packages].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))) {
    lines.push(p.sha256 ? `${p.name}==${p.version} \\\n    --hash=sha256:${p.sha256}` : `${p.name}==${p.version}`);
  }
  return lines.join('\n') + '\n';
}

export function parseLock(lock: string): PipPackage[] {
  const out: PipPackage[] = [];
  const joined = lock.replace(/\\\n/g, ' ');
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)(.*)$/.exec(line);
    if (m) out.push({ name: m[1]!, version: m[2]!, sha256: /--hash=sha256:([0-9a-f]{64})/.exec(m[3]!)?.[1] ?? null });
  }
  return out;
}

/**
 * pip install --target for the image: only wheels (--only-binary=:all:) built for its Python
 * version and C library (--platform for each manylinux/musllinux tag it can load), never source
 * builds, which would compile for this machine. With a requirements.lock made from the same
 * requirements.txt, exactly the locked files are installed (--no-deps, --require-hashes);
 * otherwise the requirements are resolved (the old lock, if any, as constraints) and a new lock written.
 */
export async function pipInstall(
  dir: string,
  requirements: string,
  lock: string | null,
  platform: Platform,
  opts: { python: string; env: NodeJS.ProcessEnv; progress: InstallProgress; signal?: AbortSignal | undefined },
): Promise<PipInstall> {
  const exact = lock !== null && lockIsFor(lock, requirements);
  await fs.writeFile(path.join(dir, 'requirements.txt'), requirements);
  // Index options of requirements.txt (--index-url, --extra-index-url, --find-links) apply to the lock too.
  const indexOptions = requirements.split('\n').filter((l) => /^\s*(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host)\b/.test(l));
  if (lock !== null) await fs.writeFile(path.join(dir, exact ? 'requirements.lock' : 'constraints.txt'), exact ? [...indexOptions, lock].join('\n') : parseLock(lock).map((p) => `${p.name}==${p.version}`).join('\n') + '\n');
  const hashed = exact && parseLock(lock).every((p) => p.sha256);
  const py = platform.python!;
  const args = [
    '-m',
    'pip',
    'install',
    '--target',
    path.join(dir, SITE_DIR),
    '--no-compile',
    '--disable-pip-version-check',
    '--no-input',
    '--progress-bar',
    'off',
    '--only-binary=:all:',
    ...wheelPlatformTags(platform).flatMap((t) => ['--platform', t]),
    '--python-version',
    py,
    '--implementation',
    'cp',
    '--abi',
    `cp${py.replace('.', '')}`,
    // One retry: without it pip does not print why a connection failed, only "no versions found".
    '--timeout',
    '15',
    '--retries',
    '1',
    '--report',
    path.join(dir, 'report.json'),
    ...(exact ? ['--no-deps', ...(hashed ? ['--require-hashes'] : []), '-r', 'requirements.lock'] : ['-r', 'requirements.txt', ...(lock !== null ? ['-c', 'constraints.txt'] : [])]),
  ];
  const env: NodeJS.ProcessEnv = { ...opts.env, PIP_BREAK_SYSTEM_PACKAGES: '1', PIP_ROOT_USER_ACTION: 'ignore', PYTHONDONTWRITEBYTECODE: '1' };
  const run = await runTool(opts.python, args, {
    cwd: dir,
    env,
    timeoutMs: PIP_TIMEOUT_MS,
    signal: opts.signal,
    onLine: (line) => {
      const collecting = /^Collecting (\S+)/.exec(line);
      if (collecting) return opts.progress.resolved(collecting[1]!);
      const downloading = /^\s*(Downloading|Using cached) (\S+)( \(([^)]+)\))?/.exec(line);
      if (downloading) return opts.progress.downloaded(`${downloading[2]}${downloading[4] ? ` (${downloading[4]})` : ''}`);
      if (/^(ERROR|Installing collected|Successfully installed)/.test(line)) opts.progress.log(line);
    },
  });
  if (run.startError) {
    throw dependencyError('tool-missing', `${opts.python} could not be started on this computer (${run.startError.code ?? run.startError.message}). Funcdeck installs Python dependencies with pip on your computer: install Python 3 with pip, or set FUNCDECK_PYTHON to one that has it.`);
  }
  if (run.timedOut) throw dependencyError('install-failed', `pip install did not finish within ${PIP_TIMEOUT_MS / 60_000} minutes and was stopped.`, { log: run.lines });
  if (run.code !== 0) throw await pipFailure(run.lines, requirements, platform, opts);

  let packages: PipPackage[];
  if (exact) {
    packages = parseLock(lock);
  } else {
    const report = JSON.parse(await fs.readFile(path.join(dir, 'report.json'), 'utf8')) as {
      install?: Array<{ metadata?: { name?: string; version?: string }; download_info?: { archive_info?: { hashes?: { sha256?: string }; hash?: string } } }>;
    };
    packages = (report.install ?? []).map((i) => ({
      name: i.metadata?.name ?? '?',
      version: i.metadata?.version ?? '?',
      sha256: i.download_info?.archive_info?.hashes?.sha256 ?? /^sha256=([0-9a-f]{64})$/.exec(i.download_info?.archive_info?.hash ?? '')?.[1] ?? null,
    }));
  }
  await fs.rm(path.join(dir, SITE_DIR, 'bin'), { recursive: true, force: true }); // console scripts point at this machine's python
  return { lockfile: exact ? lock : formatLock(requirements, platform, packages), packages, warnings: [] };
}

async function pipFailure(lines: string[], requirements: string, platform: Platform, opts: { python: string; env: NodeJS.ProcessEnv; signal?: AbortSignal | undefined }) {
  if (looksOffline(lines)) return offlineError('pip', opts.env.PIP_INDEX_URL ?? null, lines);
  const text = lines.join('\n');
  const notFound = /Could not find a version that satisfies the requirement (\S+) \(from versions: ([^)]*)\)/.exec(text);
  if (notFound) {
    const req = notFound[1]!;
    const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(req)?.[0] ?? req;
    const versions = notFound[2]!.trim();
    const where = `Python ${platform.python} on ${platform.libc === 'musl' ? 'musllinux' : `manylinux (glibc ${platform.glibc})`} ${platform.arch === 'arm64' ? 'aarch64' : 'x86_64'}`;
    const line = lineOfRequirement(requirements, name);
    const diag = (message: string) => [{ file: 'requirements.txt', line, column: 1, message, severity: 'error' as const, source: 'manifest' as const }];
    if (versions && versions !== 'none') {
      return dependencyError('no-matching-version', `No version of ${name} matching "${req}" has a wheel for ${where}. Versions with one: ${versions.split(', ').slice(-8).join(', ')}.`, {
        package: name,
        diagnostics: diag(`No version of ${name} matching "${req}" has a wheel for ${where}.`),
        log: lines,
      });
    }
    // Nothing fits the image: is there no such package at all, or only none built for it?
    const index = await runTool(opts.python, ['-m', 'pip', 'index', 'versions', '--disable-pip-version-check', '--timeout', '15', name], { cwd: process.cwd(), env: opts.env, timeoutMs: 60_000, signal: opts.signal });
    const available = /Available versions: (.*)/.exec(index.lines.join('\n'))?.[1];
    if (index.code === 0 && available) {
      return dependencyError('no-wheel', `${name} has no wheel for ${where} (it has versions ${available.split(', ').slice(0, 5).join(', ')}, but only as source or for other platforms). Funcdeck installs wheels only, because it cannot compile packages for the image; pick a version or package that publishes wheels for it.`, {
        package: name,
        diagnostics: diag(`${name} has no wheel for ${where}; Funcdeck cannot build it from source.`),
        log: lines,
      });
    }
    return dependencyError('not-found', `The package ${name} does not exist on the package index. Check its name in requirements.txt.`, {
      package: name,
      diagnostics: diag(`${name} does not exist on the package index.`),
      log: lines,
    });
  }
  const errors = lines.filter((l) => l.startsWith('ERROR')).map((l) => l.replace(/^ERROR:\s*/, ''));
  return dependencyError('install-failed', `pip install failed: ${errors.slice(0, 4).join(' ').slice(0, 600) || 'see the build log'}`, { log: lines });
}
