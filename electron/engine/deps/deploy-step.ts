import { FuncdeckError } from '../../../shared/contract/errors';
import type { FunctionSpec, SourceFile } from '../../../shared/contract/functions';
import type { EngineContext } from '../context';
import type { DeployRecord } from '../deploy/progress';
import { DepsCache } from './cache';
import type { DeliveredDependencies } from './delivery';
import { isDependencyError } from './errors';
import { LOCKFILE, prepareDependencies, type PreparedDependencies } from './install';
import { typeStep } from './type-step';

export interface DeployDependencies {
  /** The spec as the revision stores it: with the lockfile the install used among its files. */
  spec: FunctionSpec;
  /** What ships with the revision; null when nothing does. */
  delivered: DeliveredDependencies | null;
  /** The lockfile, when it differs from the one the deploy was given (new, or rewritten): for the editor. */
  lockfile: SourceFile | null;
  prepared: PreparedDependencies | null;
  /** TypeScript type problems found (warnings unless the setting makes them errors, which stop the deploy first). */
  typeProblems: number;
  /** Said when the type check could not see the packages' types. */
  typeNote: string | null;
}

/** The lockfile among a spec's files, if any. */
export function lockfileOf(spec: Pick<FunctionSpec, 'runtime' | 'files'>): SourceFile | null {
  return spec.files.find((f) => f.path === LOCKFILE[spec.runtime]) ?? null;
}

/** The spec with `lock` among its files (replacing an older one). */
export function withLockfile(spec: FunctionSpec, lock: SourceFile): FunctionSpec {
  const i = spec.files.findIndex((f) => f.path === lock.path);
  const files = i >= 0 ? spec.files.map((f, j) => (j === i ? lock : f)) : [...spec.files, lock];
  return { ...spec, files };
}

/**
 * The deploy's dependency step (part of Build): install on this machine or take from the cache,
 * with the package manager's progress in the deploy's build log. A failure marks the manifest line
 * and ends the deploy before anything reaches the cluster.
 */
export async function dependenciesForDeploy(ctx: EngineContext, spec: FunctionSpec, image: string, record: DeployRecord, signal: AbortSignal): Promise<DeployDependencies> {
  const given = lockfileOf(spec);
  let prepared: PreparedDependencies | null;
  try {
    prepared = await prepareDependencies({
      runtime: spec.runtime,
      manifest: spec.dependencies,
      lockfile: given?.content ?? null,
      image,
      imagePlatforms: ctx.settings.get().imagePlatforms,
      dataDir: ctx.options.dataDir,
      env: ctx.options.env,
      onLine: (line) => record.appendLog([line]),
      onStatus: (text) => record.detail('build', `Dependencies: ${text}`),
      signal,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (isDependencyError(e)) {
      record.setDiagnostics(e.details.diagnostics);
      const log = (e.details as { log?: string[] }).log;
      if (log?.length) record.appendLog(log.slice(-15).map((l) => `  ${l}`));
    }
    record.end('build', 'failed', message);
    record.finish('failed', message);
    throw e;
  }
  // Type errors, against the installed packages' types: warnings, unless the setting says they stop the deploy.
  const types = typeStep(spec, prepared?.installDir ?? null, ctx.settings.get().typeErrorsBlockDeploy);
  if (types.diagnostics.length) record.setDiagnostics([...record.state.diagnostics, ...types.diagnostics]);
  const typeErrors = types.diagnostics.filter((d) => d.severity === 'error');
  if (typeErrors.length) {
    const first = typeErrors[0]!;
    const where = `${first.file}:${first.line}:${first.column}`;
    record.end('build', 'failed', `${typeErrors.length} type error(s)`);
    record.finish('failed', `Type error at ${where}: ${first.message}`);
    throw new FuncdeckError(
      'BUILD_FAILED',
      `Type error: ${where}: ${first.message}${typeErrors.length > 1 ? ` (and ${typeErrors.length - 1} more)` : ''}. Nothing was deployed: type errors stop deploys in your settings; fix the marked line, or turn that setting off to deploy with warnings.`,
      { diagnostics: record.state.diagnostics, deployId: record.state.deployId },
    );
  }
  const typeInfo = { typeProblems: types.diagnostics.length, typeNote: types.note };
  if (!prepared) return { spec, delivered: null, lockfile: null, prepared: null, ...typeInfo };
  const lock: SourceFile = { path: prepared.lockfile.path, content: prepared.lockfile.content };
  const changed = given?.content !== lock.content;
  const delivered: DeliveredDependencies | null = prepared.archive
    ? {
        digest: prepared.archive.digest,
        bytes: prepared.archive.bytes,
        unpackedBytes: prepared.archive.unpackedBytes,
        allocatedBytes: prepared.archive.allocatedBytes,
        packages: prepared.packages.filter((p) => !p.dev).map((p) => ({ name: p.name, version: p.version })),
        gz: await new DepsCache(ctx.options.dataDir).readArchive(prepared.key),
      }
    : null;
  if (changed) record.appendLog([`${lock.path} ${given ? 'updated' : 'written'}: it is added to the function's files; commit it with them.`]);
  return { spec: changed ? withLockfile(spec, lock) : spec, delivered, lockfile: changed ? lock : null, prepared, ...typeInfo };
}
