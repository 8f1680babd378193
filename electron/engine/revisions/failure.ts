import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { mergePatch } from '../deploy/kube-ops';
import { FD_ANNOTATIONS, revisionName } from '../deploy/names';

/** Annotation values stay small: the reason is a sentence or two, not a log. */
const MAX_REASON = 1000;

const patchAnnotations = (kc: KubeConfig, ns: string, fn: string, revision: number, annotations: Record<string, string | null>) =>
  mergePatch<V1Deployment & { apiVersion: string; kind: string }>(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: revisionName(fn, revision), namespace: ns, annotations: annotations as Record<string, string> },
  });

/**
 * Records on the revision's Deployment why it failed when the engine started it, so it still reads
 * Failed (with the reason) after it is scaled to zero and its pods are gone. Best effort: a failed
 * write leaves the live pod status as the only source, as before.
 */
export async function recordRevisionFailure(kc: KubeConfig, ns: string, fn: string, revision: number, reason: string): Promise<void> {
  const text = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
  await patchAnnotations(kc, ns, fn, revision, { [FD_ANNOTATIONS.failedReason]: text, [FD_ANNOTATIONS.failedAt]: new Date().toISOString() }).catch(() => undefined);
}

/** The revision became ready after all (e.g. a rollback to it worked): its old failure no longer describes it. */
export async function clearRevisionFailure(kc: KubeConfig, ns: string, fn: string, revision: number, deployment: V1Deployment): Promise<void> {
  if (!deployment.metadata?.annotations?.[FD_ANNOTATIONS.failedReason]) return;
  await patchAnnotations(kc, ns, fn, revision, { [FD_ANNOTATIONS.failedReason]: null, [FD_ANNOTATIONS.failedAt]: null }).catch(() => undefined);
}
