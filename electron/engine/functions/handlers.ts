import type { V1Deployment } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract';
import { FunctionSpecShape, type FunctionDetails, type ValidationResult } from '../../../shared/contract/functions';
import { buildFunction, checkSources, revisionChecksum } from '../build/build';
import { installedDir, typeStep } from '../deps/type-step';
import type { EngineContext } from '../context';
import { activateRevision, deployFunction, type DeployDeps } from '../deploy/deploy';
import { collections, lastLogLines, listObjects } from '../deploy/kube-ops';
import { KeyedLock } from '../deploy/lock';
import { FD_ANNOTATIONS, functionSelector, MANAGED_SELECTOR, revisionOf } from '../deploy/names';
import { isOurs } from '../deploy/ownership';
import { podState } from '../deploy/pod-status';
import { DeployTracker, streamDeploy } from '../deploy/progress';
import type { CallHandlers, StreamHandlers } from '../handlers';
import { deleteFunction } from './delete';
import { RevisionDetails } from '../revisions/details';
import { readRevisionSource } from '../revisions/source';
import { RUNTIMES, runtimeInfo } from '../runtimes/registry';
import { TEMPLATES } from '../runtimes/templates';
import { parseSpec } from './spec';
import { ServingKnowledge } from './knowledge';
import { functionState, functionStates, textRelation, type ClusterView } from './state';
import { listView, watchView } from './view';
import { trafficHandlers } from '../gateway/handlers';
import { removeGatewayIfUnused } from '../gateway/install';

type FunctionCallNames =
  | 'functions.list'
  | 'functions.get'
  | 'functions.validate'
  | 'functions.deploy'
  | 'functions.delete'
  | 'functions.templates'
  | 'functions.runtimes'
  | 'revisions.list'
  | 'revisions.rollback'
  | 'revisions.source'
  | 'revisions.match';
type FunctionStreamNames = 'functions.watch' | 'deploy.progress' | 'revisions.watch';
type TrafficNames = keyof ReturnType<typeof trafficHandlers>['calls'];
type TrafficStreams = keyof ReturnType<typeof trafficHandlers>['streams'];

/** Functions, revisions and their deploys (electron/engine/{functions,build,deploy,revisions,runtimes,cron}). */
export function functionsHandlers(ctx: EngineContext): {
  calls: Pick<CallHandlers, FunctionCallNames | TrafficNames>;
  streams: Pick<StreamHandlers, FunctionStreamNames | TrafficStreams>;
} {
  const engineLife = new AbortController();
  ctx.onDispose(() => engineLife.abort());
  // What deploys and rollbacks saw before the cluster's status says it; every view's state includes it.
  const knowledge = new ServingKnowledge();
  const details = new RevisionDetails();
  const deps: DeployDeps = { ctx, tracker: new DeployTracker(), lock: new KeyedLock(), signal: engineLife.signal, knowledge };

  /** The one model of the function(s) in `view`, with this engine's own knowledge. */
  const statesOf = (context: string, ns: string, view: ClusterView) => {
    return functionStates(view, knowledge.about(context, ns));
  };
  const stateOf = (context: string, ns: string, name: string, view: ClusterView) => {
    return functionState(name, view, knowledge.about(context, ns));
  };

  /**
   * Follows one view with watches and derives again whenever the view or the engine's knowledge
   * changes; `derive` returns what to send, and only changes are sent. `update` derives again
   * (e.g. once details arrive); `done` settles when the watches end.
   */
  function follow<T>(kc: Parameters<typeof watchView>[0], ns: string, selector: string, signal: AbortSignal, derive: (view: ClusterView) => T, emit: (value: T) => void) {
    let view: ClusterView | null = null;
    let last = '';
    const update = () => {
      if (!view || signal.aborted) return;
      const value = derive(view);
      const text = JSON.stringify(value);
      if (text === last) return;
      last = text;
      emit(value);
    };
    const off = knowledge.onChange(update);
    const done = watchView(kc, ns, selector, signal, (v) => {
      view = v;
      update();
    }).finally(off);
    return { update, done };
  }
  // Traffic changes share the deploy lock: they never interleave with a deploy or rollback of the same function.
  const traffic = trafficHandlers(ctx, deps);

  async function validate(raw: unknown): Promise<ValidationResult> {
    const parsed = parseSpec(raw);
    if (!parsed.spec) {
      // Still mark the sources' own errors, so an invalid name does not hide a syntax error.
      const sources = FunctionSpecShape.pick({ runtime: true, language: true, files: true }).safeParse(raw);
      const diagnostics = sources.success ? (await checkSources(sources.data.runtime, sources.data.files)).diagnostics : [];
      return { ok: false, issues: parsed.issues, diagnostics, warnings: parsed.warnings, checksum: null };
    }
    const image = parsed.spec.image ?? (await ctx.settings.runtimeImages())[parsed.spec.runtime];
    const build = await buildFunction(parsed.spec, image);
    // Type errors against the packages installed on this machine (electron/engine/deps); nothing is installed here.
    const settings = ctx.settings.get();
    const types = build.ok ? typeStep(parsed.spec, await installedDir(parsed.spec, image, ctx.options.dataDir, settings.imagePlatforms), settings.typeErrorsBlockDeploy) : { diagnostics: [], note: null };
    const diagnostics = [...build.diagnostics, ...types.diagnostics];
    const ok = !diagnostics.some((d) => d.severity === 'error');
    return { ok, issues: [], diagnostics, warnings: [...parsed.warnings, ...build.warnings, ...(types.note ? [types.note] : [])], checksum: build.checksum };
  }

  return {
    calls: {
      ...traffic.calls,
      'functions.list': async () => {
        const t = ctx.clusters.target();
        return statesOf(t.context, t.namespace, await listView(t.kc, t.namespace, MANAGED_SELECTOR)).map((s) => s.summary);
      },
      'functions.get': async ({ name }) => {
        const t = ctx.clusters.target();
        const view = await listView(t.kc, t.namespace, functionSelector(name));
        const summary = stateOf(t.context, t.namespace, name, view)?.summary;
        if (!summary) throw new FuncdeckError('NOT_FOUND', `There is no function "${name}" in namespace "${t.namespace}".`);
        const revision = summary.servingRevision ?? summary.latestRevision;
        const source = revision ? await readRevisionSource(t.kc, t.namespace, name, revision) : null;
        if (!source) throw new FuncdeckError('NOT_FOUND', `Function "${name}" has no revision to read; deploy it again.`);
        let lines: string[] = [];
        if (summary.status === 'Failed') {
          const failed = view.pods.map((p) => ({ p, s: podState(p) })).find((x) => x.s.phase === 'failed' && x.s.logsFrom);
          if (failed) lines = await lastLogLines(t.kc, t.namespace, failed.s.name, failed.s.logsFrom!.container, failed.s.logsFrom!.previous);
        }
        const details: FunctionDetails = { namespace: t.namespace, spec: source.spec, summary, lastLogLines: lines };
        return details;
      },
      'functions.validate': async ({ spec }) => validate(spec),
      'functions.deploy': async (params) => deployFunction(deps, params),
      'functions.delete': async ({ name }) => {
        const t = ctx.clusters.target();
        const deleted = await deleteFunction(t.kc, t.namespace, name);
        // The namespace gateway goes with the namespace's last function.
        return { deleted: [...deleted, ...(await removeGatewayIfUnused(t.kc, t.namespace).catch(() => []))] };
      },
      'functions.templates': async ({ runtime }) => TEMPLATES.filter((t) => !runtime || t.runtime === runtime),
      'functions.runtimes': async () => {
        const images = await ctx.settings.runtimeImages();
        return (Object.keys(RUNTIMES) as Array<keyof typeof RUNTIMES>).map((id) => runtimeInfo(id, images[id]));
      },
      'revisions.list': async ({ name }) => {
        const t = ctx.clusters.target();
        const view = await listView(t.kc, t.namespace, functionSelector(name));
        const state = stateOf(t.context, t.namespace, name, view);
        const revisions = state?.revisions ?? [];
        await details.load(t.kc, t.namespace, name, revisions);
        return { name, namespace: t.namespace, summary: state?.summary ?? null, revisions: details.fill(t.namespace, name, revisions).revisions };
      },
      'revisions.rollback': async ({ name, revision }) => {
        const t = ctx.clusters.target();
        const deployments = await listObjects<V1Deployment>(t.kc, collections(t.namespace).deployments, functionSelector(name));
        const dep = deployments.find((d) => isOurs(d, name) && revisionOf(d) === revision);
        if (!dep) {
          const have = deployments.filter((d) => isOurs(d, name)).map(revisionOf).filter(Boolean).sort((a, b) => a! - b!);
          throw new FuncdeckError('NOT_FOUND', `Revision ${revision} of ${name} does not exist; existing revisions: ${have.join(', ') || 'none'}.`);
        }
        const replicas = Math.max(1, Number(dep.metadata?.annotations?.[FD_ANNOTATIONS.replicas] ?? 1) || 1);
        const ended = knowledge.begin(t.context, t.namespace, name, { kind: 'rollback', revision });
        const outcome = await activateRevision(deps, t.kc, t.namespace, t.context, name, revision, replicas, { scaleDownAll: true }).finally(ended);
        if (!outcome.ok) {
          throw new FuncdeckError('DEPLOY_FAILED', `Revision ${revision} did not become ready, so traffic stays where it was: ${outcome.reason}`, {
            reason: outcome.reason,
            lastLogLines: outcome.lastLogLines,
          });
        }
        return { name, serving: revision };
      },
      'revisions.source': async ({ name, revision }) => {
        const t = ctx.clusters.target();
        return readRevisionSource(t.kc, t.namespace, name, revision);
      },
      'revisions.match': async ({ name, spec }) => {
        const t = ctx.clusters.target();
        const parsed = parseSpec({ ...spec, name });
        // The checksum a deploy would give it (same spec, same image), without building.
        const checksum = parsed.spec ? revisionChecksum(parsed.spec, (await ctx.settings.runtimeImages())[parsed.spec.runtime]) : null;
        const view = await listView(t.kc, t.namespace, functionSelector(name));
        return textRelation(checksum, stateOf(t.context, t.namespace, name, view));
      },
    },
    streams: {
      ...traffic.streams,
      'functions.watch': async (_params, sink) => {
        const t = ctx.clusters.target();
        const signal = AbortSignal.any([sink.signal, t.signal]);
        await follow(
          t.kc,
          t.namespace,
          MANAGED_SELECTOR,
          signal,
          (view) => statesOf(t.context, t.namespace, view).map((s) => s.summary),
          (functions) => sink.emit({ context: t.context, namespace: t.namespace, functions }),
        ).done;
      },
      'deploy.progress': async ({ deployId }, sink) => {
        const record = await deps.tracker.await(deployId, 15_000, sink.signal);
        if (sink.signal.aborted) return;
        if (!record) throw new FuncdeckError('NOT_FOUND', `No deploy with id ${deployId} is running or finished recently.`);
        await streamDeploy(record, (e) => sink.emit(e), sink.signal);
      },
      'revisions.watch': async ({ name }, sink) => {
        const t = ctx.clusters.target();
        const signal = AbortSignal.any([sink.signal, t.signal]);
        // Settings and changes come from the revisions' ConfigMaps, read once each and in the
        // background: a snapshot never waits for them, and follows once they are known.
        let tried = '';
        const followed = follow(
          t.kc,
          t.namespace,
          functionSelector(name),
          signal,
          (view) => {
            const state = stateOf(t.context, t.namespace, name, view);
            const raw = state?.revisions ?? [];
            const filled = details.fill(t.namespace, name, raw);
            const want = raw.map((r) => `${r.number}:${r.checksum}`).join(',');
            if (filled.missing && want !== tried) {
              tried = want;
              void details.load(t.kc, t.namespace, name, raw).then(() => followed.update(), () => undefined);
            }
            return { name, namespace: t.namespace, summary: state?.summary ?? null, revisions: filled.revisions };
          },
          (snapshot) => sink.emit(snapshot),
        );
        await followed.done;
      },
    },
  };
}
