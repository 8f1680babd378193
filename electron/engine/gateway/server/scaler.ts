import { LABELS } from '../../../../shared/contract/runtime-protocol';
import { calmState, ConcurrencyMeter, decideScale, idleDecision, KPA_DEFAULTS, type ScalerState } from '../shared/autoscaler';
import type { Kube } from './kube';
import { statusMessage } from './kube';
import type { Log } from './log';
import type { GatewayMetrics } from './metrics';
import type { GatewayState, RevisionInfo } from './state';

/**
 * Sets the replicas of the revisions the gateway routes to: between the revision's min and max by
 * calls in flight (autoscaler.ts), to zero after the idle grace when min is 0, and up at once when
 * a call arrives at zero. Writes only the scale of Deployments it saw carrying this function's
 * Funcdeck labels, with their uid as a precondition (a Deployment replaced meanwhile is refused).
 */
export interface RevisionLoad {
  meter: ConcurrencyMeter;
  lastActivity: number;
  scaler: ScalerState;
  desired: number | null;
  panicking: boolean;
  /** The gateway stopped routing to it itself (a canary ended): scale it to zero after a drain. */
  unroutedAt: number | null;
}

export const DRAIN_AFTER_UNROUTE_MS = 10_000;

export class Scaler {
  readonly loads = new Map<string, RevisionLoad>();
  private readonly writing = new Set<string>();
  active = true;

  constructor(
    private readonly kube: Kube,
    private readonly state: GatewayState,
    private readonly metrics: GatewayMetrics,
    private readonly log: Log,
    private readonly stableWindowMs = KPA_DEFAULTS.stableWindowMs,
  ) {}

  load(rev: RevisionInfo, now = Date.now()): RevisionLoad {
    let l = this.loads.get(rev.key);
    if (!l) {
      // After a restart the history is gone: keep the pods there are for one stable window (as Knative does).
      const scaler = rev.replicas > 1 ? { panicSince: now, maxPanicPods: rev.replicas } : calmState();
      l = { meter: new ConcurrencyMeter(now), lastActivity: now, scaler, desired: null, panicking: false, unroutedAt: null };
      this.loads.set(rev.key, l);
    }
    return l;
  }

  callStarted(rev: RevisionInfo): void {
    const l = this.load(rev);
    const now = Date.now();
    l.meter.change(now, 1);
    l.lastActivity = now;
    this.metrics.inFlight.set({ function: rev.fn, revision: String(rev.rev) }, l.meter.inFlight);
  }

  callEnded(rev: RevisionInfo): void {
    const l = this.load(rev);
    const now = Date.now();
    l.meter.change(now, -1);
    l.lastActivity = now;
    this.metrics.inFlight.set({ function: rev.fn, revision: String(rev.rev) }, l.meter.inFlight);
  }

  /** A call arrived with no pod ready: at zero replicas, ask for the revision's minimum (at least one) now. */
  activate(rev: RevisionInfo): void {
    const cur = this.state.revisions.get(rev.key) ?? rev;
    this.load(cur).lastActivity = Date.now();
    if (cur.replicas === 0) void this.write(cur, Math.max(1, cur.scale.min), 'a call arrived at zero pods');
  }

  /**
   * One round over the revisions of the functions that go through the gateway. `routed` gives, per
   * function, the revisions it sends calls to now (weights above 0, tags, canary sides).
   */
  tick(routed: Map<string, Set<number>>, gatewayFunctions: Set<string>, now = Date.now()): void {
    if (!this.active) return;
    for (const rev of this.state.revisions.values()) {
      if (!gatewayFunctions.has(rev.fn)) continue;
      const l = this.load(rev, now);
      if (!routed.get(rev.fn)?.has(rev.rev)) {
        if (l.unroutedAt !== null && now - l.unroutedAt >= DRAIN_AFTER_UNROUTE_MS && rev.replicas > 0 && l.meter.inFlight === 0) {
          void this.write(rev, 0, 'the gateway no longer routes to it');
        }
        continue;
      }
      l.unroutedAt = null;
      const spec = { ...KPA_DEFAULTS, stableWindowMs: this.stableWindowMs, min: rev.scale.min, max: rev.scale.max, target: rev.scale.target };
      const ready = this.state.usablePods(rev.key, now).length;
      const d = decideScale(spec, l.scaler, { stable: l.meter.average(now, spec.stableWindowMs), panic: l.meter.average(now, spec.panicWindowMs), readyPods: ready }, now);
      l.scaler = d.state;
      l.panicking = d.panicking;
      let desired = d.desired;
      if (rev.scale.min === 0) desired = idleDecision(0, l.meter.inFlight, l.lastActivity, rev.scale.graceSeconds * 1000, now) ? 0 : Math.max(1, desired);
      l.desired = desired;
      const labels = { function: rev.fn, revision: String(rev.rev) };
      this.metrics.desiredPods.set(labels, desired);
      this.metrics.panic.set(labels, d.panicking ? 1 : 0);
      if (desired !== rev.replicas) {
        const why = desired === 0 ? `idle for ${rev.scale.graceSeconds} s` : `${l.meter.average(now, spec.stableWindowMs).toFixed(1)} calls in flight on average (target ${rev.scale.target} per pod)${d.panicking ? ', panic mode' : ''}`;
        void this.write(rev, desired, why);
      }
    }
  }

  /** The gateway ended a canary: the revision it no longer routes to goes to zero after a drain. */
  unrouted(rev: RevisionInfo, now = Date.now()): void {
    this.load(rev, now).unroutedAt = now;
  }

  private async write(rev: RevisionInfo, replicas: number, why: string): Promise<void> {
    if (this.writing.has(rev.key)) return;
    const labels = rev.deployment.metadata?.labels ?? {};
    if (labels[LABELS.managedBy] !== 'funcdeck' || labels[LABELS.function] !== rev.fn) return;
    this.writing.add(rev.key);
    try {
      const path = `/apis/apps/v1/namespaces/${encodeURIComponent(this.kube.namespace)}/deployments/${encodeURIComponent(rev.name)}/scale?fieldManager=funcdeck-gateway`;
      const res = await this.kube.request('PATCH', path, { metadata: { uid: rev.uid }, spec: { replicas } }, { contentType: 'application/merge-patch+json', timeoutMs: 10_000 });
      if (res.status >= 300) {
        this.log(`could not scale ${rev.name} to ${replicas}: HTTP ${res.status} ${statusMessage(res.body)}`);
        return;
      }
      this.log(`scaled ${rev.name} from ${rev.replicas} to ${replicas}: ${why}`);
      rev.replicas = replicas; // the watch confirms shortly; meanwhile do not ask twice
    } catch (e) {
      this.log(`could not scale ${rev.name} to ${replicas}: ${(e as Error).message}`);
    } finally {
      this.writing.delete(rev.key);
    }
  }
}
