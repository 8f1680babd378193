import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { FD_ANNOTATIONS, revisionName } from '../deploy/names';
import { annotateOwned, readOwned } from '../deploy/owned-writes';

/** Annotation values stay small: the reason is a sentence or two, not a log. */
const MAX_REASON = 1000;

/** Only this function's own revision Deployment is annotated (ownership as every other write). */
async function patchAnnotations(kc: KubeConfig, ns: string, fn: string, revision: number, annotations: Record<string, string | null>, known?: V1Deployment): Promise<void> {
  const dep = known ?? (await readOwned<V1Deployment>(kc, 'Deployment', ns, revisionName(fn, revision), fn).then((f) => (f.state === 'ours' ? f.obj : null)));
  if (dep) await annotateOwned(kc, 'Deployment', fn, dep, annotations);
}

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
  await patchAnnotations(kc, ns, fn, revision, { [FD_ANNOTATIONS.failedReason]: null, [FD_ANNOTATIONS.failedAt]: null }, deployment).catch(() => undefined);
}
