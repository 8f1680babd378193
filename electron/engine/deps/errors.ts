import { FuncdeckError } from '../../../shared/contract/errors';
import type { BuildDiagnostic } from '../../../shared/contract/functions';

/** Why dependencies could not be prepared; in the error's details as dependencies.kind. */
export type DependencyFailure =
  | 'invalid-manifest'
  | 'not-found'
  | 'no-matching-version'
  | 'no-wheel'
  | 'offline'
  | 'native'
  | 'too-large'
  | 'tool-missing'
  | 'platform'
  | 'install-failed';

/**
 * A dependency problem is a build failure: nothing reaches the cluster. `diagnostics` mark the
 * manifest line in the editor; `log` is the package manager's own last lines, for the build log.
 */
export function dependencyError(kind: DependencyFailure, message: string, extra: { diagnostics?: BuildDiagnostic[]; package?: string; log?: string[] } = {}): FuncdeckError {
  return new FuncdeckError('BUILD_FAILED', message, {
    dependencies: { kind, ...(extra.package ? { package: extra.package } : {}) },
    diagnostics: extra.diagnostics ?? [],
    ...(extra.log ? { log: extra.log.slice(-30) } : {}),
  });
}

export function isDependencyError(e: unknown): e is FuncdeckError & { details: { dependencies: { kind: DependencyFailure }; diagnostics: BuildDiagnostic[] } } {
  return e instanceof FuncdeckError && !!e.details && typeof e.details === 'object' && 'dependencies' in e.details;
}

/** Network failures as npm and pip print them. */
const OFFLINE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|ENETUNREACH|EHOSTUNREACH|NewConnectionError|ConnectTimeoutError|Failed to establish a new connection|Temporary failure in name resolution|Network is unreachable|Connection refused|Max retries exceeded|network request to .* failed|ReadTimeoutError)\b/i;

export function looksOffline(lines: string[]): boolean {
  return lines.some((l) => OFFLINE.test(l));
}

export function offlineError(tool: 'npm' | 'pip', registry: string | null, lines: string[]): FuncdeckError {
  const seen = lines.map((l) => /\b(https?:\/\/[^\s'",)]+)/.exec(l)?.[1]).find(Boolean);
  const originOf = (url: string | null | undefined): string | null => {
    try {
      return url ? new URL(url).origin : null;
    } catch {
      return url ?? null; // not a URL after all
    }
  };
  const origin = originOf(registry ?? seen);
  const where = origin ? ` (${origin})` : '';
  return dependencyError(
    'offline',
    `The package registry${where} cannot be reached from this computer, so ${tool} could not install the dependencies. Check the network or your ${tool === 'npm' ? 'npm registry setting (.npmrc)' : 'pip index setting (pip.conf, PIP_INDEX_URL)'}; dependencies Funcdeck installed before are cached and still deploy offline.`,
    { log: lines },
  );
}
