import { LABELS } from '../../../shared/contract';

/** The parts of a core/v1 Pod the log follower reads. */
export interface PodLike {
  metadata?: { name?: string; uid?: string; labels?: Record<string, string>; deletionTimestamp?: string | null; [k: string]: unknown };
  spec?: { containers?: Array<{ name: string }>; nodeName?: string };
  status?: {
    phase?: string;
    containerStatuses?: Array<{
      name: string;
      ready?: boolean;
      restartCount?: number;
      state?: { running?: unknown; terminated?: { reason?: string } | null; waiting?: { reason?: string } | null };
    }>;
    conditions?: Array<{ type: string; status: string }>;
  };
  [k: string]: unknown;
}

export type ContainerPhase = 'running' | 'terminated' | 'waiting';

export interface ContainerView {
  pod: string;
  container: string;
  revision: string | null;
  phase: ContainerPhase;
  /** e.g. ContainerCreating, CrashLoopBackOff, Completed. */
  reason: string | null;
}

export const podName = (p: PodLike) => p.metadata?.name ?? '';
export const podRevision = (p: PodLike) => p.metadata?.labels?.[LABELS.revision] ?? null;

/** Every regular container of a pod and whether it has started (only then does the log API answer). */
export function containersOf(p: PodLike): ContainerView[] {
  const statuses = new Map((p.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  return (p.spec?.containers ?? []).map((c) => {
    const s = statuses.get(c.name);
    const phase: ContainerPhase = s?.state?.running ? 'running' : s?.state?.terminated ? 'terminated' : 'waiting';
    const reason = s?.state?.waiting?.reason ?? s?.state?.terminated?.reason ?? (s ? null : (p.status?.phase ?? 'Pending'));
    return { pod: podName(p), container: c.name, revision: podRevision(p), phase, reason: reason ?? null };
  });
}

/** True when the pod will not print any more: it is gone, finished, or being deleted with its containers stopped. */
export function podIsDone(p: PodLike | undefined, container: string): boolean {
  if (!p) return true;
  const phase = p.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  const c = containersOf(p).find((x) => x.container === container);
  if (!c) return true;
  return Boolean(p.metadata?.deletionTimestamp) && c.phase !== 'running';
}
