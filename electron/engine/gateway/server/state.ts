import type { V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import { LABELS } from '../../../../shared/contract/runtime-protocol';
import { CONTAINER } from '../../deploy/names';
import { podState } from '../../deploy/pod-status';
import { GATEWAY_ANNOTATIONS, docHash, parseCanaryPlan, parseScaleDoc, parseTrafficDoc, type CanaryPlanDoc, type ScaleDoc, type TrafficDoc } from '../shared/traffic-doc';
import type { KubeItem } from './informer';

/**
 * What the gateway knows of its namespace, from three watches: the functions it serves (their
 * Services' traffic annotations), their revisions (Deployments with scale settings) and the pods
 * of those revisions (addresses, readiness, and why a pod does not start).
 */
export interface FunctionRoute {
  fn: string;
  port: number;
  doc: TrafficDoc;
  /** docHash of the annotation's text, reported in /status so the engine knows a change is live. */
  hash: string;
  serviceUid: string;
  rollout: CanaryPlanDoc | null;
  created: string;
}

export interface RevisionInfo {
  fn: string;
  rev: number;
  key: string;
  name: string;
  uid: string;
  replicas: number;
  scale: ScaleDoc;
  timeoutSeconds: number;
  runtime: string;
  image: string;
  deployment: V1Deployment;
}

export interface PodInfo {
  name: string;
  uid: string;
  fn: string;
  rev: number;
  key: string;
  ip: string | null;
  deleting: boolean;
  /** The kubelet says Ready. */
  readyCondition: boolean;
  /** The gateway's own /readyz check passed (before the kubelet's next probe says so). */
  verifiedAt: number | null;
  /** Why the pod will not start, when it will not (image pull, crash, ...). */
  failure: string | null;
  phase: string;
  /** When the gateway first saw the pod, saw it placed on a node, saw its container running. */
  seenAt: number;
  scheduledAt: number | null;
  runningAt: number | null;
  inFlight: number;
  /** A call to it failed to connect: not used until this time unless it proves ready again. */
  suspectUntil: number;
  /** A warm pool pod given this revision's code, serving until the revision's own pod is ready. */
  bridge?: boolean;
}

export const revKey = (fn: string, rev: number) => `${fn}/${rev}`;

export class GatewayState {
  readonly functions = new Map<string, FunctionRoute>();
  readonly byPort = new Map<number, FunctionRoute>();
  readonly revisions = new Map<string, RevisionInfo>();
  readonly pods = new Map<string, PodInfo>();
  /** Warm pool pods serving a revision (by revision key) until its own pods are ready (pool.ts). */
  readonly bridges = new Map<string, PodInfo>();
  problems: string[] = [];
  private readonly listeners = new Set<() => void>();

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  setServices(items: Map<string, KubeItem>): void {
    const next: FunctionRoute[] = [];
    const problems: string[] = [];
    for (const raw of items.values()) {
      const svc = raw as V1Service;
      const fn = svc.metadata?.labels?.[LABELS.function];
      const text = svc.metadata?.annotations?.[GATEWAY_ANNOTATIONS.traffic];
      if (!fn || svc.metadata?.name !== fn || !text) continue;
      const doc = parseTrafficDoc(text);
      if (!doc) {
        problems.push(`The traffic of "${fn}" (annotation ${GATEWAY_ANNOTATIONS.traffic}) does not parse; its last good routes stay.`);
        const old = this.functions.get(fn);
        if (old) next.push(old);
        continue;
      }
      const rollout = parseCanaryPlan(safeJson(svc.metadata?.annotations?.[GATEWAY_ANNOTATIONS.rollout]));
      next.push({ fn, port: doc.port, doc, hash: docHash(text), serviceUid: svc.metadata?.uid ?? '', rollout, created: String(svc.metadata?.creationTimestamp ?? '') });
    }
    // Two functions on one port (two engines allocated at the same moment): the older keeps it.
    next.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.fn < b.fn ? -1 : 1));
    this.functions.clear();
    this.byPort.clear();
    for (const r of next) {
      const holder = this.byPort.get(r.port);
      if (holder) {
        problems.push(`"${r.fn}" and "${holder.fn}" both ask for gateway port ${r.port}; "${r.fn}" is not served until it gets another (change its traffic once more).`);
        continue;
      }
      this.functions.set(r.fn, r);
      this.byPort.set(r.port, r);
    }
    this.problems = problems;
    this.changed();
  }

  setDeployments(items: Map<string, KubeItem>): void {
    this.revisions.clear();
    for (const raw of items.values()) {
      const d = raw as V1Deployment;
      const fn = d.metadata?.labels?.[LABELS.function];
      const rev = Number(d.metadata?.labels?.[LABELS.revision]);
      if (!fn || !Number.isInteger(rev) || rev < 1 || !d.metadata?.name || !d.metadata.uid) continue;
      const container = d.spec?.template?.spec?.containers?.find((c) => c.name === CONTAINER.fn);
      const timeout = Number(container?.env?.find((e) => e.name === 'FUNCDECK_TIMEOUT')?.value);
      const replicas = d.spec?.replicas ?? 0;
      this.revisions.set(revKey(fn, rev), {
        fn,
        rev,
        key: revKey(fn, rev),
        name: d.metadata.name,
        uid: d.metadata.uid,
        replicas,
        scale: parseScaleDoc(d.metadata.annotations?.[GATEWAY_ANNOTATIONS.scale], Number(d.metadata.annotations?.['funcdeck.dev/replicas'] ?? replicas) || 1),
        timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 180,
        runtime: d.metadata.labels?.[LABELS.runtime] ?? '',
        image: container?.image ?? '',
        deployment: d,
      });
    }
    this.changed();
  }

  setPods(items: Map<string, KubeItem>): void {
    const now = Date.now();
    const seen = new Set<string>();
    for (const raw of items.values()) {
      const p = raw as V1Pod;
      const uid = p.metadata?.uid;
      const fn = p.metadata?.labels?.[LABELS.function];
      const rev = Number(p.metadata?.labels?.[LABELS.revision]);
      if (!uid || !fn || !Number.isInteger(rev) || rev < 1) continue;
      seen.add(uid);
      let info = this.pods.get(uid);
      if (!info) {
        info = { name: p.metadata?.name ?? '', uid, fn, rev, key: revKey(fn, rev), ip: null, deleting: false, readyCondition: false, verifiedAt: null, failure: null, phase: 'scheduling', seenAt: now, scheduledAt: null, runningAt: null, inFlight: 0, suspectUntil: 0 };
        this.pods.set(uid, info);
      }
      const state = podState(p);
      const running = !!p.status?.containerStatuses?.find((c) => c.name === CONTAINER.fn)?.state?.running;
      const ready = !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (info.readyCondition && !ready) info.verifiedAt = null; // it was ready and is not any more: stop trusting our own check too
      info.readyCondition = ready;
      info.ip = p.status?.podIP || null;
      info.deleting = !!p.metadata?.deletionTimestamp;
      info.failure = state.phase === 'failed' ? state.reason : null;
      info.phase = state.phase;
      if (p.spec?.nodeName && info.scheduledAt === null) info.scheduledAt = now;
      if (running && info.runningAt === null) info.runningAt = now;
      if (!running && !ready) info.runningAt = null; // restarted
    }
    for (const uid of [...this.pods.keys()]) if (!seen.has(uid)) this.pods.delete(uid);
    this.changed();
  }

  /** Pods of a revision that can take a call now: the kubelet or the gateway's own check says ready, and no call to it failed just now. */
  usablePods(key: string, now = Date.now(), withBridge = true): PodInfo[] {
    const out: PodInfo[] = [];
    for (const p of this.pods.values()) {
      if (p.key !== key || p.deleting || !p.ip || p.failure) continue;
      if (p.verifiedAt !== null || (p.readyCondition && p.suspectUntil <= now)) out.push(p);
    }
    // The revision's own pods first; a warm pool bridge only while it has none.
    const bridge = this.bridges.get(key);
    if (!out.length && withBridge && bridge && bridge.suspectUntil <= now) out.push(bridge);
    return out;
  }

  /** A call to this pod could not connect: do not use it until it answers its readiness check again. */
  suspect(p: PodInfo, now = Date.now()): void {
    p.verifiedAt = null;
    p.suspectUntil = now + 3000;
  }

  podsOf(key: string): PodInfo[] {
    return [...this.pods.values()].filter((p) => p.key === key);
  }
}

function safeJson(text: string | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
