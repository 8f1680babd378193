import { EventEmitter } from 'node:events';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { languageOf, type FunctionSpec, type SourceFile } from '../../../shared/contract/functions';
import type { LivePushResult, LiveStatus } from '../../../shared/contract/live';
import { LABELS } from '../../../shared/contract/runtime-protocol';
import { checkSources } from '../build/build';
import { canonicalJson } from '../build/checksum';
import { collections, listObjects } from '../deploy/kube-ops';
import { CONTAINER, functionSelector, revisionOf } from '../deploy/names';
import { readFunction } from '../deploy/revision-state';
import { readRevisionSource } from '../revisions/source';
import { sha256 } from '../build/checksum';
import { pushToPod, type PodCode } from './pod-push';

/**
 * Live update's state in the engine, per function: which serving revision the pushes went to and
 * what code each of its pods runs. Pods are the truth for what runs; this is what the engine pushed,
 * checked against them (a pod's uid and restart count) whenever status is read or code is pushed.
 */

interface Session {
  key: string;
  fn: string;
  namespace: string;
  revision: number;
  pods: Map<string, PodCode>;
  pushedAt: string | null;
  notice: string | null;
}

const SETTINGS: Array<[keyof FunctionSpec, string]> = [
  ['dependencies', 'the dependencies (package.json or requirements.txt): they are installed and shipped with a revision'],
  ['runtime', 'the runtime'],
  ['language', 'the language'],
  ['handler', 'the handler'],
  ['env', 'environment variables'],
  ['size', 'the size'],
  ['timeoutSeconds', 'the timeout'],
  ['scale', 'scaling'],
  ['cron', 'the schedule'],
];

export const keyOf = (context: string, ns: string, fn: string) => `${context}\u0000${ns}\u0000${fn}`;

function runningPods(pods: V1Pod[], revision: number): V1Pod[] {
  return pods.filter(
    (p) =>
      revisionOf(p) === revision &&
      !p.metadata?.deletionTimestamp &&
      p.status?.phase === 'Running' &&
      !!p.status.containerStatuses?.find((c) => c.name === CONTAINER.fn)?.state?.running,
  );
}
const restartsOf = (p: V1Pod) => p.status?.containerStatuses?.find((c) => c.name === CONTAINER.fn)?.restartCount ?? 0;

export class LiveSessions {
  private sessions = new Map<string, Session>();
  readonly changes = new EventEmitter();

  private session(context: string, ns: string, fn: string): Session | undefined {
    return this.sessions.get(keyOf(context, ns, fn));
  }

  /**
   * Pushes the spec's code (compiled as a deploy would) into every running pod of the serving
   * revision. Refuses before touching a pod when something other than code changed.
   */
  async push(kc: KubeConfig, context: string, ns: string, spec: FunctionSpec): Promise<LivePushResult> {
    const started = performance.now();
    const fn = spec.name;
    const objs = await readFunction(kc, ns, fn);
    const revision = objs.serving;
    if (!revision) throw new FuncdeckError('NOT_FOUND', `Function "${fn}" has no serving revision in namespace "${ns}": deploy it once, then live update pushes into its pods.`);
    const deployed = (await readRevisionSource(kc, ns, fn, revision)).spec as FunctionSpec;
    const differs = SETTINGS.filter(([field]) => {
      const a = field === 'language' ? languageOf(spec) : spec[field];
      const b = field === 'language' ? languageOf(deployed) : deployed[field];
      return canonicalJson(a ?? null) !== canonicalJson(b ?? null);
    });
    if (differs.length) {
      throw new FuncdeckError(
        'UNSUPPORTED',
        `Live update pushes code only, and ${differs.map(([, what]) => what).join('; ')} changed since revision ${revision}. Deploy to apply ${differs.length > 1 ? 'them' : 'it'}.`,
        { fields: differs.map(([f]) => f) },
      );
    }
    const checked = await checkSources(spec.runtime, spec.files);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      const first = errors[0]!;
      throw new FuncdeckError('BUILD_FAILED', `Not pushed: ${first.file}:${first.line}:${first.column}: ${first.message}. Fix the marked line and save again.`, { diagnostics: checked.diagnostics });
    }
    const pods = runningPods(await listObjects<V1Pod>(kc, collections(ns).pods, `${functionSelector(fn)},${LABELS.revision}=${revision}`), revision);
    if (!pods.length) throw new FuncdeckError('NOT_FOUND', `No pod of revision ${revision} of "${fn}" is running to take the code. Wait for one to start, or deploy.`);
    const key = keyOf(context, ns, fn);
    let s = this.sessions.get(key);
    if (!s || s.revision !== revision) {
      s = { key, fn, namespace: ns, revision, pods: new Map(), pushedAt: null, notice: null };
      this.sessions.set(key, s);
    }
    const session = s;
    const files: SourceFile[] = checked.files;
    const results = await Promise.all(
      pods.map(async (p) => {
        const name = p.metadata!.name!;
        const uid = p.metadata!.uid!;
        const restarts = restartsOf(p);
        const prior = session.pods.get(name);
        const known = prior && prior.uid === uid && prior.restartCount === restarts ? prior : null;
        try {
          const out = await pushToPod(kc, ns, name, known, files);
          if (out.ack.ok) session.pods.set(name, { uid, restartCount: restarts, generation: out.ack.generation, files: new Map(files.map((f) => [f.path, sha256(f.content)])) });
          return { pod: name, ok: out.ack.ok, generation: out.ack.generation, ms: out.ms, error: out.ack.ok ? null : (out.ack.error ?? 'the pod did not load the code'), changed: out.changed };
        } catch (e) {
          return { pod: name, ok: false, generation: known?.generation ?? 0, ms: 0, error: e instanceof Error ? e.message : String(e), changed: 0 };
        }
      }),
    );
    session.pushedAt = new Date().toISOString();
    session.notice = null;
    this.changes.emit('change', key);
    return {
      name: fn,
      revision,
      pods: results.map(({ changed: _c, ...r }) => r),
      changedFiles: results.reduce((n, r) => n + r.changed, 0),
      ms: performance.now() - started,
      diagnostics: checked.diagnostics,
    };
  }

  /** Pushes the serving revision's own code back into the pods that run live code, and ends live mode. */
  async stop(kc: KubeConfig, context: string, ns: string, fn: string): Promise<string[]> {
    const s = this.session(context, ns, fn);
    if (!s) return [];
    const source = await readRevisionSource(kc, ns, fn, s.revision);
    const result = await this.push(kc, context, ns, source.spec as FunctionSpec).catch(() => null);
    this.sessions.delete(s.key);
    this.changes.emit('change', s.key);
    return result ? result.pods.filter((p) => p.ok).map((p) => p.pod) : [];
  }

  /** The function's live state against its pods as they are now. */
  status(context: string, ns: string, fn: string, serving: number | null, pods: V1Pod[]): LiveStatus {
    const s = this.session(context, ns, fn);
    const base: LiveStatus = { name: fn, live: false, revision: serving, pods: [], notice: null, pushedAt: null };
    if (!s) return base;
    if (serving !== s.revision) {
      // A deploy or rollback moved traffic: the live code is no longer what serves.
      this.sessions.delete(s.key);
      return { ...base, notice: serving ? `Revision ${serving} now serves; live edits to revision ${s.revision} ended.` : null };
    }
    const states = runningPods(pods, s.revision).map((p) => {
      const name = p.metadata!.name!;
      const known = s.pods.get(name);
      const same = !!known && known.uid === p.metadata!.uid && known.restartCount === restartsOf(p) && known.generation > 0;
      return { pod: name, code: same ? ('live' as const) : ('revision' as const), generation: same ? known!.generation : 0, pushed: !!known };
    });
    const back = states.filter((p) => p.code === 'revision');
    const live = states.some((p) => p.code === 'live');
    let notice = s.notice;
    if (back.length && (live || s.pushedAt)) {
      const names = back.map((p) => p.pod).join(', ');
      notice = `${back.length > 1 ? 'Pods' : 'Pod'} ${names} ${back.some((p) => p.pushed) ? 'restarted and run' : 'started with'} revision ${s.revision}'s code, not your live edits. Save to push them again, or Deploy to make them a revision.`;
    }
    return { name: fn, live, revision: s.revision, pods: states.map(({ pushed: _p, ...x }) => x), notice, pushedAt: s.pushedAt };
  }

  async servingOf(kc: KubeConfig, ns: string, fn: string): Promise<number | null> {
    return (await readFunction(kc, ns, fn)).serving;
  }
}
