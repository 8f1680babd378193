import { LABELS, MANAGED_BY } from '../../../../shared/contract/runtime-protocol';
import { STATUS_CONFIGMAP } from '../shared/constants';

/** deploy/ownership.ts's COMPONENT_LABEL, written out: importing that module would bundle zod into the gateway. */
const GATEWAY_COMPONENT_LABEL = 'funcdeck.dev/component';
import { evaluateCanary, startProgress, type CanaryProgress, type CanaryWindow } from '../shared/canary';
import { effectiveWeights } from '../shared/pick';
import { routedRevisions, type Weight } from '../shared/traffic-doc';
import { recordEvent } from './events';
import type { Kube } from './kube';
import { statusMessage } from './kube';
import type { Log } from './log';
import type { Scaler } from './scaler';
import { revKey, type FunctionRoute, type GatewayState } from './state';

const dataKey = (fn: string) => `canary.${fn}`;

/**
 * Runs the canaries of the functions the gateway serves: counts the new revision's calls and
 * failures over the plan's window, moves the steps on, and rolls back on its own when the failure
 * rate passes the limit, with a Kubernetes Event saying why. Progress is kept in a ConfigMap so a
 * restarted gateway carries on (and the engine can show it).
 */
export class CanaryRunner {
  readonly progress = new Map<string, CanaryProgress>();
  private readonly calls = new Map<string, Array<{ t: number; failed: boolean }>>();
  active = true;

  /** The uid of the status ConfigMap once seen with the gateway's labels; null until then. */
  private statusUid: string | null = null;

  constructor(
    private readonly kube: Kube,
    private readonly state: GatewayState,
    private readonly scaler: Scaler,
    private readonly log: Log,
    private readonly pod: string,
  ) {}

  /**
   * The status ConfigMap when it is the gateway's own (its labels checked, its uid kept for writes),
   * else null: one of that name without the gateway's labels is someone else's and is left alone.
   */
  private async readStatus(): Promise<Record<string, string> | null> {
    const res = await this.kube.request<{ metadata?: { uid?: string; labels?: Record<string, string> }; data?: Record<string, string> }>(
      'GET',
      `/api/v1/namespaces/${encodeURIComponent(this.kube.namespace)}/configmaps/${STATUS_CONFIGMAP}`,
      undefined,
      { timeoutMs: 10_000 },
    );
    if (res.status !== 200) return null;
    const labels = res.body.metadata?.labels ?? {};
    if (labels[LABELS.managedBy] !== MANAGED_BY || labels[GATEWAY_COMPONENT_LABEL] !== 'gateway') {
      this.log(`ConfigMap ${STATUS_CONFIGMAP} does not carry the gateway's labels: canary progress is not kept in it`);
      return null;
    }
    this.statusUid = res.body.metadata?.uid ?? null;
    return res.body.data ?? {};
  }

  /** Reads the progress kept by an earlier gateway. */
  async load(): Promise<void> {
    try {
      const data = await this.readStatus();
      if (!data) return;
      for (const [k, v] of Object.entries(data)) {
        if (!k.startsWith('canary.')) continue;
        try {
          const p = JSON.parse(v) as CanaryProgress;
          if (p && typeof p.id === 'string') this.progress.set(k.slice('canary.'.length), p);
        } catch {
          // a damaged entry: the canary starts its current doc over
        }
      }
    } catch (e) {
      this.log(`could not read canary progress: ${(e as Error).message}`);
    }
  }

  /** The current progress of a function's canary (started now when the gateway has none for it). */
  progressOf(route: FunctionRoute): CanaryProgress | null {
    const c = route.doc.canary;
    if (!c) return null;
    let p = this.progress.get(route.fn);
    if (!p || p.id !== c.id) {
      p = startProgress(c);
      this.progress.set(route.fn, p);
    }
    return p;
  }

  weightsOf(route: FunctionRoute): Weight[] {
    const p = this.progressOf(route);
    return effectiveWeights(route.doc.weights, route.doc.canary, p?.phase ?? null, p?.step ?? 0);
  }

  /** Revisions calls go to now: weights above 0 (the canary's step applied) and tags. */
  routed(route: FunctionRoute): Set<number> {
    return routedRevisions({ weights: this.weightsOf(route), tags: route.doc.tags, canary: null });
  }

  record(fn: string, rev: number, failed: boolean): void {
    const route = this.state.functions.get(fn);
    if (!route?.doc.canary || route.doc.canary.to !== rev) return;
    const list = this.calls.get(fn) ?? [];
    list.push({ t: Date.now(), failed });
    this.calls.set(fn, list);
  }

  windowOf(route: FunctionRoute, now = Date.now()): CanaryWindow {
    const c = route.doc.canary;
    const list = this.calls.get(route.fn) ?? [];
    if (!c) return { requests: 0, errors: 0 };
    const from = now - c.windowSeconds * 1000;
    while (list.length && list[0]!.t < from) list.shift();
    return { requests: list.length, errors: list.filter((x) => x.failed).length };
  }

  tick(now = Date.now()): void {
    if (!this.active) return;
    for (const route of this.state.functions.values()) {
      const c = route.doc.canary;
      if (!c) continue;
      const before = this.progressOf(route)!;
      const { progress, event } = evaluateCanary(c, before, this.windowOf(route, now), now);
      if (progress === before) continue;
      this.progress.set(route.fn, progress);
      if (progress.phase === 'promoted') this.unroute(route.fn, c.from);
      if (progress.phase === 'rolled-back') this.unroute(route.fn, c.to);
      void this.persist(route.fn, progress);
      if (event) {
        this.log(`${route.fn}: ${event.message}`);
        void recordEvent(this.kube, this.log, this.pod, route.fn, route.serviceUid, event.type, event.reason, event.message);
      }
    }
  }

  private unroute(fn: string, rev: number): void {
    const info = this.state.revisions.get(revKey(fn, rev));
    if (info) this.scaler.unrouted(info);
  }

  private async persist(fn: string, p: CanaryProgress): Promise<void> {
    try {
      if (!this.statusUid && !(await this.readStatus())) return; // not the gateway's own: nothing is written to it
      const res = await this.kube.request(
        'PATCH',
        `/api/v1/namespaces/${encodeURIComponent(this.kube.namespace)}/configmaps/${STATUS_CONFIGMAP}?fieldManager=funcdeck-gateway`,
        // The uid as a precondition: a ConfigMap replaced since it was checked is refused.
        { metadata: { uid: this.statusUid }, data: { [dataKey(fn)]: JSON.stringify(p) } },
        { contentType: 'application/merge-patch+json', timeoutMs: 10_000 },
      );
      if (res.status >= 300) this.log(`could not keep canary progress of ${fn}: HTTP ${res.status} ${statusMessage(res.body)}`);
    } catch (e) {
      this.log(`could not keep canary progress of ${fn}: ${(e as Error).message}`);
    }
  }
}
