import { plural, pluralWord } from '../../../shared/plural';
import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import type { DeployResult } from '../../../shared/contract/functions';
import { buildFunction, revisionChecksum } from '../build/build';
import { collectDependencyGarbage } from '../deps/delivery';
import { dependenciesForDeploy } from '../deps/deploy-step';
import { cronJob } from '../cron/manifest';
import type { EngineContext } from '../context';
import type { RolloutReporter } from '../functions/knowledge';
import { parseSpec } from '../functions/spec';
import { applyRevision } from './apply-revision';
import { objectMetadata } from './extras';
import { clearRevisionFailure, recordRevisionFailure } from '../revisions/failure';
import type { KeyedLock } from './lock';
import { notOwnedError } from './ownership';
import type { DeployRecord, DeployTracker } from './progress';
import { readFunction } from './revision-state';
import { waitForRevision, type RolloutOutcome } from './rollout';
import { collectGarbage, needsRouting, routeAllTraffic, scaleDownOthersLater, scaleRevision } from './traffic';
import type { RoutingTarget } from '../gateway/routing';

export interface DeployDeps {
  ctx: EngineContext;
  tracker: DeployTracker;
  lock: KeyedLock;
  /** Aborted when the engine is disposed; rollouts outlive UI subscriptions and target switches. */
  signal: AbortSignal;
  /** Told what the rollout sees first (pods ready, traffic moved), so the views agree at once. */
  knowledge?: RolloutReporter;
}

export interface DeployParams {
  spec: unknown;
  deployId?: string | undefined;
  wait: boolean;
}

const lockKey = (context: string, ns: string, fn: string) => `${context}\u0000${ns}\u0000${fn}`;

function specName(raw: unknown): string {
  const n = raw && typeof raw === 'object' ? (raw as { name?: unknown }).name : undefined;
  return typeof n === 'string' && n ? n.slice(0, 63) : '(unnamed)';
}

/**
 * Validate -> build (locally) -> apply a new revision (unless unchanged) -> roll out -> route traffic.
 * Returns after the apply, or after the rollout with `wait`.
 */
export async function deployFunction(deps: DeployDeps, params: DeployParams): Promise<DeployResult> {
  const { ctx, tracker } = deps;
  const deployId = params.deployId ?? randomUUID();
  const parsed = parseSpec(params.spec);
  const record = tracker.start(deployId, parsed.spec?.name ?? specName(params.spec));

  record.begin('validate');
  if (!parsed.spec) {
    const lines = parsed.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    record.end('validate', 'failed', `${plural(lines.length, 'problem')} in the spec`);
    record.finish('failed', `Fix the spec first: ${lines.join(' ')}`);
    throw new FuncdeckError('INVALID_SPEC', `The function spec has ${plural(lines.length, 'problem')}: ${lines.join('; ')}`, { issues: parsed.issues, deployId });
  }
  let spec = parsed.spec;
  record.end('validate', 'done', parsed.warnings.join(' ') || null);

  record.begin('build');
  const images = await ctx.settings.runtimeImages();
  const image = spec.image ?? images[spec.runtime];
  let build = await buildFunction(spec, image).catch((e: unknown) => {
    record.finish('failed', `The local build failed: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  });
  record.setDiagnostics(build.diagnostics);
  if (!build.ok) {
    const errors = build.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0]!;
    const where = `${first.file}:${first.line}:${first.column}`;
    record.end('build', 'failed', plural(errors.length, 'error'));
    record.finish('failed', `Build failed at ${where}: ${first.message}`);
    throw new FuncdeckError('BUILD_FAILED', `Build failed: ${where}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}. Nothing was deployed; fix the marked line and deploy again.`, {
      diagnostics: build.diagnostics,
      deployId,
    });
  }
  // Dependencies are installed here, on this machine, and ship with the revision (electron/engine/deps).
  const packages = await dependenciesForDeploy(ctx, spec, image, record, deps.signal);
  if (packages.spec !== spec) {
    spec = packages.spec; // with the lockfile the install used: the revision records exactly what it runs
    build = { ...build, checksum: revisionChecksum(spec, image) };
  }
  const shipped = packages.delivered ? `dependencies: ${packages.delivered.packages.length} package(s)${packages.prepared?.cached ? ', cached' : ''}` : 'no dependencies';
  const typeWarnings = packages.typeProblems ? `${packages.typeProblems} type warning(s)` : null;
  record.end('build', 'done', [`Compiled; ${shipped}`, typeWarnings, ...build.warnings, ...(packages.prepared?.warnings ?? [])].filter(Boolean).join('. '));

  let target;
  try {
    target = ctx.clusters.target();
  } catch (e) {
    record.finish('failed', e instanceof Error ? e.message : String(e));
    throw e;
  }
  const { kc, namespace: ns } = target;
  const applied = await deps.lock
    .run(lockKey(target.context, ns, spec.name), async () => {
      record.begin('apply');
      const objs = await readFunction(kc, ns, spec.name);
      const latest = objs.revisions[0];
      if (latest && latest.checksum === build.checksum) {
        record.setRevision(latest.number);
        record.end('apply', 'skipped', `Unchanged: revision ${latest.number} has the same checksum`);
        return { revision: latest.number, created: false };
      }
      const revision = (latest?.number ?? 0) + 1;
      record.setRevision(revision);
      const input = { namespace: ns, spec, build, revision, image, created: new Date().toISOString(), dependencies: packages.delivered };
      const cron = spec.cron ? cronJob(ns, spec.name, spec.cron, images.nodejs, spec.timeoutSeconds, objectMetadata(spec)) : null;
      const { leftAlone } = await applyRevision(kc, input, cron, objs);
      const note = leftAlone.map((o) => ` ${o.kind} "${o.name}" is not this function's (${o.reason}); left alone.`).join('');
      record.end('apply', 'done', `Revision ${revision} applied.${note}`);
      return { revision, created: true };
    })
    .catch((e: unknown) => {
      const error =
        e instanceof FuncdeckError && e.code === 'NOT_FOUND'
          ? new FuncdeckError('NOT_FOUND', `Namespace "${ns}" does not exist in this cluster, so nothing was deployed. Create it or pick another namespace.`, e.details)
          : e;
      record.finish('failed', error instanceof Error ? error.message : String(error));
      throw error;
    });

  const rollout = rollOut(deps, record, kc, ns, target.context, spec.name, applied.revision, Math.max(1, spec.scale.min)).catch((e: unknown) => {
    const reason = e instanceof Error ? e.message : String(e);
    record.finish('failed', reason);
    return { ok: false, reason, lastLogLines: [] } as RolloutOutcome;
  });
  const result: DeployResult = {
    deployId,
    name: spec.name,
    revision: applied.revision,
    created: applied.created,
    checksum: build.checksum,
    ...(packages.lockfile ? { lockfile: packages.lockfile } : {}),
  };
  if (!params.wait) return result;
  const outcome = await rollout;
  if (!outcome.ok) {
    throw new FuncdeckError('DEPLOY_FAILED', `Revision ${applied.revision} of ${spec.name} did not become ready: ${outcome.reason}`, {
      deployId,
      revision: applied.revision,
      reason: outcome.reason,
      lastLogLines: outcome.lastLogLines,
    });
  }
  return { ...result, ready: true };
}

/** Waits for the revision's pods, then moves all traffic to it (or starts its canary), scales older ones down and collects garbage. */
async function rollOut(deps: DeployDeps, record: DeployRecord, kc: KubeConfig, ns: string, context: string, fn: string, revision: number, replicas: number): Promise<RolloutOutcome> {
  record.begin('rollout', 'Starting');
  let routedAs = `Revision ${revision} serves all traffic`;
  const ended = deps.knowledge?.begin(context, ns, fn, { kind: 'deploy', revision });
  const outcome = await activateRevision(deps, kc, ns, context, fn, revision, replicas, {
    canary: true,
    onRouted: (detail) => (routedAs = detail),
    onPhase: (detail) => record.detail('rollout', detail),
    onReady: () => {
      record.end('rollout', 'done', `${replicas}/${replicas} ${pluralWord(replicas, 'pod')} ready`);
      record.begin('ready', 'Routing traffic');
    },
  }).finally(() => ended?.());
  if (!outcome.ok) {
    record.end('rollout', 'failed', outcome.reason);
    record.finish('failed', outcome.reason, outcome.lastLogLines);
    return outcome;
  }
  record.end('ready', 'done', routedAs);
  record.finish('ready');
  return outcome;
}

export interface ActivateHooks {
  onPhase?(detail: string): void;
  onReady?(): void;
  /** Scale every other revision down (rollback), not only older ones (deploy). */
  scaleDownAll?: boolean;
  /** Start a canary when the function has a rollout plan (a deploy; a rollback moves all traffic at once). */
  canary?: boolean;
  /** How traffic was moved, in words. */
  onRouted?(detail: string): void;
}

/** Where traffic moves for this engine: the target, its Node image (the gateway runs on it), and the namespace's gateway lock. */
export async function routingTarget(deps: DeployDeps, kc: KubeConfig, ns: string, context: string): Promise<RoutingTarget> {
  return { kc, namespace: ns, context, image: (await deps.ctx.settings.runtimeImages()).nodejs, signal: deps.signal, gatewayLock: deps.lock };
}

/**
 * Makes one revision serve: scales it up when it was scaled down, waits until Ready, then routes
 * all traffic to it (unless a newer revision arrived meanwhile), scales the rest down after a drain,
 * and deletes revisions beyond the number to keep. On failure, traffic stays where it was.
 */
export async function activateRevision(
  deps: DeployDeps,
  kc: KubeConfig,
  ns: string,
  context: string,
  fn: string,
  revision: number,
  replicas: number,
  hooks: ActivateHooks = {},
): Promise<RolloutOutcome> {
  const objs = await readFunction(kc, ns, fn);
  const rev = objs.revisions.find((r) => r.number === revision);
  if (!rev) throw new FuncdeckError('NOT_FOUND', `Revision ${revision} of ${fn} does not exist (any more); pick one of: ${objs.revisions.map((r) => r.number).join(', ') || 'none'}.`);
  if (objs.foreignService) throw notOwnedError(`route traffic of "${fn}" to revision ${revision}`, fn, [objs.foreignService]);
  const scaledDown = (rev.deployment.spec?.replicas ?? 0) < replicas;
  if (scaledDown) await scaleRevision(kc, fn, rev, replicas);
  const outcome = await waitForRevision({
    kc,
    namespace: ns,
    fn,
    revision,
    replicas,
    signal: deps.signal,
    timeoutMs: 180_000,
    onPhase: (_p, detail) => hooks.onPhase?.(detail),
    onVerified: (pod) => deps.knowledge?.verified(context, ns, pod),
  });
  if (!outcome.ok) {
    await recordRevisionFailure(kc, ns, fn, revision, outcome.reason);
    // A revision woken only to take traffic goes back to sleep; a new one stays up so its state can be read.
    if (scaledDown && hooks.scaleDownAll) await scaleRevision(kc, fn, rev, 0).catch(() => undefined);
    return outcome;
  }
  hooks.onReady?.();
  await clearRevisionFailure(kc, ns, fn, revision, rev.deployment);
  const routed = await deps.lock.run(lockKey(context, ns, fn), async () => {
    const now = await readFunction(kc, ns, fn);
    const newest = now.revisions[0]?.number ?? revision;
    if (!hooks.scaleDownAll && newest > revision) return false; // superseded by a newer deploy; it moves traffic
    if (needsRouting(now, revision)) {
      const routed = await routeAllTraffic(await routingTarget(deps, kc, ns, context), fn, revision, now, { canary: !!hooks.canary });
      hooks.onRouted?.(routed.detail);
      // A canary leaves the serving revision where it is; the gateway moves traffic step by step.
      if (!routed.canary) deps.knowledge?.routed(context, ns, fn, revision, now.serving);
    } else {
      deps.knowledge?.routed(context, ns, fn, revision, now.serving);
    }
    scaleDownOthersLater(kc, ns, fn, revision, !!hooks.scaleDownAll, deps.signal);
    return true;
  });
  // Garbage collection need not delay the answer; it runs under the lock so it never races a deploy's numbering.
  if (routed) {
    void deps.lock
      .run(lockKey(context, ns, fn), async () => {
        await collectGarbage(kc, ns, fn, deps.ctx.settings.get().revisionsToKeep);
        await collectDependencyGarbage(kc, ns, fn);
      })
      .catch(() => undefined);
  }
  return outcome;
}
