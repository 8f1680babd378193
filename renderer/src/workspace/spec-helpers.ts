import type { BuildDiagnostic, FunctionSpecInput, Language } from '../../../shared/contract/functions';

/** The dependency manifest each runtime reads, shown as its own editor tab. */
export const DEPENDENCY_FILE: Record<FunctionSpecInput['runtime'], string> = { nodejs: 'package.json', python: 'requirements.txt' };

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
