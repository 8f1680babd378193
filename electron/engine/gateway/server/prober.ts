import http from 'node:http';
import { RUNTIME_PORTS } from '../../../../shared/contract/runtime-protocol';
import type { GatewayState, PodInfo } from './state';

/**
 * Asks starting pods' /readyz directly, as Knative's activator does: the kubelet probes once a
 * second and reports through the API server, so the gateway knows a pod is ready up to a second
 * sooner by asking itself. Pods of a revision someone is waiting for are asked every 25 ms.
 */
export class Prober {
  private readonly next = new Map<string, number>();
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly state: GatewayState,
    private readonly urgent: (key: string) => boolean,
    private readonly onVerified: (pod: PodInfo) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 25);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Probe this revision's pods at the next tick, whatever their schedule. */
  hurry(key: string): void {
    for (const p of this.state.pods.values()) if (p.key === key) this.next.delete(p.uid);
  }

  private tick(): void {
    const now = Date.now();
    for (const p of this.state.pods.values()) {
      if (!p.ip || p.deleting || p.failure || this.busy.has(p.uid)) continue;
      const trusted = p.verifiedAt !== null || (p.readyCondition && p.suspectUntil <= now);
      if (trusted) continue;
      if ((this.next.get(p.uid) ?? 0) > now) continue;
      this.next.set(p.uid, now + (this.urgent(p.key) ? 25 : 1000));
      this.busy.add(p.uid);
      void probe(p.ip).then((ok) => {
        this.busy.delete(p.uid);
        if (!ok || p.deleting) return;
        p.verifiedAt = Date.now();
        p.suspectUntil = 0;
        p.runningAt ??= p.verifiedAt;
        this.onVerified(p);
      });
    }
    for (const uid of this.next.keys()) if (!this.state.pods.has(uid)) this.next.delete(uid);
  }
}

function probe(ip: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: ip, port: RUNTIME_PORTS.metrics, path: '/readyz', timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
