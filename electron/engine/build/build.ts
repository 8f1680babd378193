import type { BuildDiagnostic, FunctionSpec, SourceFile } from '../../../shared/contract/functions';
import { RUNTIMES, hasDependencies } from '../runtimes/registry';
import { canonicalJson, sha256 } from './checksum';
import { checkPythonSources } from './check-python';
import { compileNodeSources } from './compile-node';

export interface BuildOutput {
  ok: boolean;
  diagnostics: BuildDiagnostic[];
  warnings: string[];
  /** What the pod loads: compiled JavaScript for TypeScript, sources as written otherwise. */
  files: SourceFile[];
  checksum: string;
  installsDependencies: boolean;
}

/**
 * The revision checksum: the normalized spec with its sources, the image and the runtime server's
 * own text. Equal checksums mean an identical revision, so a redeploy of the same thing is a no-op.
 */
export function revisionChecksum(spec: FunctionSpec, image: string): string {
  return sha256(canonicalJson({ spec, image, server: sha256(RUNTIMES[spec.runtime].serverSource) }));
}

function manifestDiagnostics(spec: FunctionSpec): BuildDiagnostic[] {
  if (spec.runtime !== 'nodejs' || !spec.dependencies.trim()) return [];
  try {
    const pkg: unknown = JSON.parse(spec.dependencies);
    if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) throw new SyntaxError('package.json must be a JSON object');
    return [];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const before = spec.dependencies.slice(0, pos).split('\n');
    return [
      {
        file: 'package.json',
        line: before.length,
        column: (before[before.length - 1]?.length ?? 0) + 1,
        message: `package.json is not valid JSON: ${message}`,
        severity: 'error',
        source: 'manifest',
      },
    ];
  }
}

/** Syntax-checks (and for Node compiles) sources alone, without a full spec. */
export async function checkSources(runtime: FunctionSpec['runtime'], files: SourceFile[]): Promise<{ diagnostics: BuildDiagnostic[]; files: SourceFile[]; warning: string | null }> {
  if (runtime === 'nodejs') {
    const compiled = await compileNodeSources(files);
    return { diagnostics: compiled.diagnostics, files: compiled.files, warning: null };
  }
  const checked = await checkPythonSources(files);
  return { diagnostics: checked.diagnostics, files, warning: checked.warning };
}

/** Checks and compiles locally, before anything reaches the cluster. */
export async function buildFunction(spec: FunctionSpec, image: string): Promise<BuildOutput> {
  const diagnostics: BuildDiagnostic[] = manifestDiagnostics(spec);
  const warnings: string[] = [];
  const checked = await checkSources(spec.runtime, spec.files);
  diagnostics.push(...checked.diagnostics);
  if (checked.warning) warnings.push(checked.warning);
  const files = checked.files;
  return {
    ok: !diagnostics.some((d) => d.severity === 'error'),
    diagnostics,
    warnings,
    files,
    checksum: revisionChecksum(spec, image),
    installsDependencies: hasDependencies(spec.runtime, spec.dependencies),
  };
}
