import { LABELS, MANAGED_BY } from '../../../shared/contract/runtime-protocol';

/** Object names and labels a function's revisions use. */
export const revisionName = (fn: string, revision: number) => `${fn}-r${revision}`;
export const cronJobName = (fn: string) => `${fn}-cron`;

/** Annotations of our own, beyond the contract's checksum/spec. */
export const FD_ANNOTATIONS = {
  servingRevision: 'funcdeck.dev/serving-revision',
  language: 'funcdeck.dev/language',
  handler: 'funcdeck.dev/handler',
  created: 'funcdeck.dev/created',
  image: 'funcdeck.dev/image',
  /** On a revision Deployment: the replica count it runs with while it serves. */
  replicas: 'funcdeck.dev/replicas',
  installsDependencies: 'funcdeck.dev/installs-dependencies',
  /** On a revision Deployment: why it failed when the engine last started it, and when (kept once it scales to zero). */
  failedReason: 'funcdeck.dev/failed-reason',
  failedAt: 'funcdeck.dev/failed-at',
} as const;

export const CONTAINER = { fn: 'function', install: 'install-deps' } as const;

export function functionLabels(fn: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.function]: fn };
}

export function functionSelector(fn: string): string {
  return `${LABELS.managedBy}=${MANAGED_BY},${LABELS.function}=${fn}`;
}

export const MANAGED_SELECTOR = `${LABELS.managedBy}=${MANAGED_BY}`;

export function revisionOf(obj: { metadata?: { labels?: Record<string, string> } }): number | null {
  const n = Number(obj.metadata?.labels?.[LABELS.revision]);
  return Number.isInteger(n) && n > 0 ? n : null;
}
