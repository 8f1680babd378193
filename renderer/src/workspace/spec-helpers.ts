import type { BuildDiagnostic, FunctionSpecInput, Language } from '../../../shared/contract/functions';

/** The dependency manifest each runtime reads, shown as its own editor tab. */
export const DEPENDENCY_FILE: Record<FunctionSpecInput['runtime'], string> = { nodejs: 'package.json', python: 'requirements.txt' };
/** The lockfile an install writes, kept among the function's files (electron/engine/deps). */
export const LOCKFILE: Record<FunctionSpecInput['runtime'], string> = { nodejs: 'package-lock.json', python: 'requirements.lock' };

export function lockfileOf(spec: FunctionSpecInput): { path: string; content: string } | null {
  return spec.files.find((f) => f.path === LOCKFILE[spec.runtime]) ?? null;
}

/** The spec with `lock` among its files, replacing an older one. */
export function withLockfile(spec: FunctionSpecInput, lock: { path: string; content: string }): FunctionSpecInput {
  const has = spec.files.some((f) => f.path === lock.path);
  return { ...spec, files: has ? spec.files.map((f) => (f.path === lock.path ? lock : f)) : [...spec.files, lock] };
}

export function monacoLanguageFor(path: string): string {
  if (path.endsWith('.js') || path.endsWith('.mjs') || path.endsWith('.cjs')) return 'javascript';
  if (path.endsWith('.ts')) return 'typescript';
  if (path.endsWith('.py')) return 'python';
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return 'yaml';
  return 'plaintext';
}

export const LANGUAGE_LABEL: Record<Language, string> = { javascript: 'JavaScript', typescript: 'TypeScript', python: 'Python' };

/** Canonical text of a spec for "is it changed" checks (key order is the editor's own, so stable). */
export function specText(spec: FunctionSpecInput | null): string {
  return spec === null ? '' : JSON.stringify(spec);
}

export function diagnosticsFor(diagnostics: BuildDiagnostic[], file: string) {
  return diagnostics.filter((d) => d.file === file);
}
