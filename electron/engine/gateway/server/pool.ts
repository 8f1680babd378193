import fs from 'node:fs';
import http from 'node:http';
import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import { LABELS } from '../../../../shared/contract/runtime-protocol';
import { POOL_PORT } from '../shared/constants';
import { AUTH_HEADER, signPoolCall } from '../shared/pool-auth';
import type { SpecializeRequest } from '../pool/main';
import type { KubeItem } from './informer';
import type { Kube } from './kube';
import type { Log } from './log';
import type { GatewayState, PodInfo, RevisionInfo } from './state';

/**
 * The gateway's side of the warm pool: at a revision's cold start, a ready generic pod of its
 * runtime is given the revision's code (read from the revision's ConfigMap, checked to be that
 * revision's) and serves as a bridge until the revision's own pod is ready; then it is retired
 * and waits, generic again, for the next cold start. Revisions that ship dependencies or read
 * Secrets or ConfigMaps (poolEligible), or run on another image than the pool's, start the usual way only.
 */
interface PoolPod {
  name: string;
  uid: string;
  ip: string | null;
  ready: boolean;
  deleting: boolean;
  image: string;
  state: 'idle' | 'specialising' | 'serving' | 'retiring';
  revKey: string | null;
  /** What the gateway routes to while it serves (the pod, as a pod of the revision). */
  bridge: PodInfo | null;
}

export class PoolManager {
  readonly pods = new Map<string, PoolPod>();
  private readonly key: Buffer | null;

  constructor(
    private readonly kube: Kube,
    private readonly state: GatewayState,
    private readonly log: Log,
    private readonly onBridge: () => void,
    keyFile = process.env.FUNCDECK_POOL_KEY_FILE ?? '/funcdeck/key/key',
  ) {
    let key: Buffer | null = null;
    try {
      key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
    } catch {
      log('no pool key: cold starts start a pod of the revision only');
    }
    this.key = key && key.length >= 16 ? key : null;
  }

  setPods(items: Map<string, KubeItem>): void {
    const seen = new Set<string>();
    for (const raw of items.values()) {
      const p = raw as V1Pod;
      const uid = p.metadata?.uid;
      if (!uid) continue;
      seen.add(uid);
      // Updated in place: a specialisation in progress holds on to this object.
      const pod: PoolPod = this.pods.get(uid) ?? { name: '', uid, ip: null, ready: false, deleting: false, image: '', state: 'idle', revKey: null, bridge: null };
      pod.name = p.metadata?.name ?? '';
      pod.ip = p.status?.podIP || null;
      pod.ready = !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      pod.deleting = !!p.metadata?.deletionTimestamp;
      pod.image = p.spec?.containers?.[0]?.image ?? '';
      this.pods.set(uid, pod);
    }
    for (const [uid, p] of this.pods) {
      if (seen.has(uid)) continue;
      this.pods.delete(uid);
      if (p.revKey) this.state.bridges.delete(p.revKey);
    }
  }


  /** Starts bridging `rev` with an idle warm pod when there is one; the activator hears of it through onBridge. */
  tryBridge(rev: RevisionInfo): void {
    if (!this.key || this.state.bridges.has(rev.key) || !poolEligible(rev)) return;
    if ([...this.pods.values()].some((p) => p.revKey === rev.key)) return;
    const pod = [...this.pods.values()].find((p) => p.state === 'idle' && p.ready && !p.deleting && p.ip && p.image === rev.image);
    if (!pod) return;
    pod.state = 'specialising';
    pod.revKey = rev.key;
    const started = Date.now();
    void this.specialize(pod, rev).then(
      () => {
        if (pod.state !== 'specialising') return;
        pod.state = 'serving';
        const now = Date.now();
        const bridge: PodInfo = {
          name: pod.name, uid: `pool:${pod.uid}`, fn: rev.fn, rev: rev.rev, key: rev.key, ip: pod.ip, deleting: false, readyCondition: true, verifiedAt: now, failure: null,
          phase: 'ready', seenAt: started, scheduledAt: started, runningAt: started, inFlight: 0, suspectUntil: 0, bridge: true,
        };
        pod.bridge = bridge;
        this.state.bridges.set(rev.key, bridge);
        this.log(`${rev.fn} r${rev.rev}: warm pod ${pod.name} serves it after ${now - started} ms, until its own pod is ready`);
        this.onBridge();
      },
      (e: Error) => {
        this.log(`${rev.fn} r${rev.rev}: warm pod ${pod.name} could not take it (${e.message}); its own pod is starting`);
        pod.state = 'idle';
        pod.revKey = null;
        void this.call(pod, '/retire', Buffer.from('{}')).catch(() => undefined);
      },
    );
  }

  /** Retires bridges whose revision has its own ready pod (or no traffic any more), once their calls are done. */
  tick(stillWanted: (key: string) => boolean, now = Date.now()): void {
    for (const pod of this.pods.values()) {
      if (pod.state !== 'serving' || !pod.revKey || !pod.bridge) continue;
      const key = pod.revKey;
      if (this.state.bridges.get(key) === pod.bridge) {
        if (this.state.usablePods(key, now, false).length === 0 && stillWanted(key)) continue;
        this.state.bridges.delete(key); // no new calls; those in flight finish first
      }
      if (pod.bridge.inFlight > 0) continue;
      pod.state = 'retiring';
      const done = (how: string) => {
        this.log(`warm pod ${pod.name} ${how} from ${key}`);
        pod.state = 'idle';
        pod.revKey = null;
        pod.bridge = null;
      };
      void this.call(pod, '/retire', Buffer.from('{}')).then(
        () => done('retired'),
        (e: Error) => done(`could not retire cleanly (${e.message})`),
      );
    }
  }

  private async specialize(pod: PoolPod, rev: RevisionInfo): Promise<void> {
    const res = await this.kube.request<V1ConfigMap>('GET', `/api/v1/namespaces/${encodeURIComponent(this.kube.namespace)}/configmaps/${encodeURIComponent(rev.name)}`, undefined, { timeoutMs: 10_000 });
    const cm = res.body;
    const labels = cm?.metadata?.labels ?? {};
    if (res.status !== 200 || labels[LABELS.managedBy] !== 'funcdeck' || labels[LABELS.function] !== rev.fn || labels[LABELS.revision] !== String(rev.rev)) {
      throw new Error(`the revision's ConfigMap ${rev.name} is not readable as this revision's (HTTP ${res.status})`);
    }
    const spec = rev.deployment.spec?.template?.spec;
    const items = (name: string) => spec?.volumes?.find((v) => v.name === name)?.configMap?.items ?? [];
    const data = cm.data ?? {};
    const container = spec?.containers?.find((c) => c.name === 'function');
    // The file the revision's container runs (node /funcdeck/runtime/server.cjs), among the runtime's files.
    const entry = (container?.command ?? []).at(-1)?.split('/').at(-1) ?? '';
    const runtimeFiles = items('runtime').map((i) => ({ path: i.path, content: data[i.key] }));
    if (!entry || !runtimeFiles.some((f) => f.path === entry) || runtimeFiles.some((f) => f.content === undefined)) throw new Error('the revision has no runtime server to run');
    const env: Record<string, string> = {};
    for (const e of container?.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
    const mem = memoryBytes(String(container?.resources?.limits?.memory ?? ''));
    if (mem) env.FUNCDECK_MEMORY_LIMIT = String(mem);
    const request: SpecializeRequest = {
      revision: rev.key,
      runtime: { entry, files: runtimeFiles as Array<{ path: string; content: string }> },
      files: items('src').map((i) => ({ path: i.path, content: data[i.key] ?? '' })),
      env,
    };
    await this.call(pod, '/specialize', Buffer.from(JSON.stringify(request)));
  }

  private call(pod: PoolPod, path: string, body: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!pod.ip || !this.key) return reject(new Error('pool pod has no address'));
      const req = http.request(
        { host: pod.ip, port: POOL_PORT, method: 'POST', path, timeout: 20_000, agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length, [AUTH_HEADER]: signPoolCall(this.key, 'POST', path, body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`))));
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 20 s')));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/**
 * Only a revision whose pod needs nothing the warm pod cannot be handed: Node.js, its code and
 * plain environment. Dependencies (ConfigMap parts unpacked into the deps emptyDir), Secrets or
 * ConfigMaps it mounts or reads into its environment (the warm pod has no access to them) mean it
 * starts its own pod. The live update volume is the pod's own scratch space and needs nothing.
 */
export function poolEligible(rev: Pick<RevisionInfo, 'runtime' | 'deployment'>): boolean {
  const spec = rev.deployment.spec?.template?.spec;
  const container = spec?.containers?.find((c) => c.name === 'function');
  const plainVolumes = (spec?.volumes ?? []).every((v) => ['runtime', 'src', 'live'].includes(v.name));
  const plainEnv = !(container?.envFrom ?? []).length && (container?.env ?? []).every((e) => e.value !== undefined || e.name === 'FUNCDECK_MEMORY_LIMIT');
  return rev.runtime === 'nodejs' && !(spec?.initContainers ?? []).length && plainVolumes && plainEnv;
}

function memoryBytes(q: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(q);
  if (!m) return null;
  const mult: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 };
  return Math.round(Number(m[1]) * (m[2] ? mult[m[2]]! : 1));
}
