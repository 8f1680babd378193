import type { V1Pod } from '@kubernetes/client-node';
import type { ServingTransition } from '../../../shared/contract/functions';
import type { EngineKnowledge } from './state';

/**
 * A pod the engine saw answer /readyz counts as ready this long (the kubelet says so within a probe
 * period or two). Several watches with views of different ages read the same knowledge, so it ends
 * by time, not when one of them catches up.
 */
const VERIFIED_MS = 15_000;
/** Traffic the engine routed counts this long, and only over a view that still shows where it came from. */
const ROUTED_MS = 30_000;

/** What deploys and rollbacks tell the model as they go (see deploy.ts). */
export interface RolloutReporter {
  /** The engine got 200 from this pod's /readyz itself. */
  verified(context: string, ns: string, pod: string): void;
  /** The engine pointed the function's Service at `revision` (all traffic), away from `from`. */
  routed(context: string, ns: string, fn: string, revision: number, from: number | null): void;
  /** A deploy or rollback starts moving traffic; call the result when it has ended either way. */
  begin(context: string, ns: string, fn: string, t: ServingTransition): () => void;
}

const key = (...parts: string[]) => parts.join('\u0000');

/**
 * What this engine knows before the cluster's status says it: pods it saw ready, traffic it moved,
 * and the deploy or rollback under way. The watches derive the function state from their view plus
 * this, and derive again when it changes, so every view agrees as soon as the engine knows.
 */
export class ServingKnowledge implements RolloutReporter {
  private verifiedPods = new Map<string, number>();
  private routes = new Map<string, { revision: number; from: number | null; until: number }>();
  private transitions = new Map<string, ServingTransition & { id: number }>();
  private listeners = new Set<() => void>();
  private ids = 0;

  verified(context: string, ns: string, pod: string): void {
    this.prune();
    this.verifiedPods.set(key(context, ns, pod), Date.now() + VERIFIED_MS);
    this.changed();
  }

  routed(context: string, ns: string, fn: string, revision: number, from: number | null): void {
    this.prune();
    this.routes.set(key(context, ns, fn), { revision, from, until: Date.now() + ROUTED_MS });
    this.changed();
  }

  begin(context: string, ns: string, fn: string, t: ServingTransition): () => void {
    const k = key(context, ns, fn);
    const id = ++this.ids;
    this.transitions.set(k, { ...t, id });
    this.changed();
    return () => {
      // A later deploy or rollback of the same function may have taken over meanwhile.
      if (this.transitions.get(k)?.id !== id) return;
      this.transitions.delete(k);
      this.changed();
    };
  }

  private prune(): void {
    const now = Date.now();
    for (const [k, until] of this.verifiedPods) if (until < now) this.verifiedPods.delete(k);
    for (const [k, r] of this.routes) if (r.until < now) this.routes.delete(k);
  }

  /** The knowledge about one context and namespace, as the state module reads it. */
  about(context: string, ns: string): EngineKnowledge {
    return {
      verifiedReady: (pod: V1Pod) => (this.verifiedPods.get(key(context, ns, pod.metadata?.name ?? '')) ?? 0) > Date.now(),
      transition: (fn: string) => {
        const t = this.transitions.get(key(context, ns, fn));
        return t ? { kind: t.kind, revision: t.revision } : null;
      },
      routedTo: (fn: string) => {
        const r = this.routes.get(key(context, ns, fn));
        return r && r.until > Date.now() ? { revision: r.revision, from: r.from } : null;
      },
    };
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
