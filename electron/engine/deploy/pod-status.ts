import type { V1Pod } from '@kubernetes/client-node';
import { CONTAINER } from './names';

/** What one pod says about its revision. */
export interface PodState {
  name: string;
  phase: 'scheduling' | 'pulling' | 'building' | 'starting' | 'ready' | 'failed';
  ready: boolean;
  /** Why it failed, in words a person can act on. */
  reason: string | null;
  /** Fetch this container's last log lines (previous run when `previous`) to show with the reason. */
  logsFrom: { container: string; previous: boolean } | null;
}

const PULL_FAILURES = new Set(['ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName', 'RegistryUnavailable']);
const CONFIG_FAILURES = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

type Status = NonNullable<NonNullable<V1Pod['status']>['containerStatuses']>[number];

function imageProblem(s: Status, reason: string, message: string | undefined): string {
  const hint =
    reason === 'ErrImageNeverPull'
      ? 'The image is not on the node and the pull policy forbids pulling it: load it into the cluster (kind load docker-image / minikube image load) or pick another image in Settings.'
      : 'Check the image name in Settings → runtime images, that the cluster can reach its registry, or load the image into the cluster (kind load docker-image / minikube image load).';
  return `The runtime image ${s.image} could not be pulled (${reason}${message ? `: ${message}` : ''}). ${hint}`;
}

function terminatedProblem(container: string, t: { exitCode?: number; reason?: string; signal?: number }, memoryLimit: string | null): string {
  if (t.reason === 'OOMKilled') {
    return `The ${container === CONTAINER.install ? 'dependency install' : 'function'} ran out of memory (limit ${memoryLimit ?? 'unknown'}) and was killed. Pick a larger size, or use less memory.`;
  }
  if (container === CONTAINER.install) return `Installing dependencies failed (exit code ${t.exitCode ?? '?'}); the build log says why.`;
  return `The function crashed at start (exit code ${t.exitCode ?? '?'}${t.reason && t.reason !== 'Error' ? `, ${t.reason}` : ''}). Its last log lines say why.`;
}

/** Reads one pod's status: where it is on the way to Ready, or why it will not get there. */
export function podState(pod: V1Pod): PodState {
  return podStateOf(pod, CONTAINER.fn);
}

/** podState for a pod whose main container is `container` (the namespace gateway's, for one). */
export function podStateOf(pod: V1Pod, container: string): PodState {
  const name = pod.metadata?.name ?? '?';
  const st = pod.status ?? {};
  const memoryLimit = (pod.spec?.containers?.find((c) => c.name === container)?.resources?.limits?.memory as string | undefined) ?? null;
  const fail = (reason: string, logsFrom: PodState['logsFrom'] = null): PodState => ({ name, phase: 'failed', ready: false, reason, logsFrom });

  const scheduled = st.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return fail(`No node can run the function's pod: ${scheduled.message ?? 'unschedulable'}. Pick a smaller size, or free capacity in the cluster.`);
  }
  for (const s of st.initContainerStatuses ?? []) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && PULL_FAILURES.has(waiting.reason)) return fail(imageProblem(s, waiting.reason, waiting.message));
    const term = s.state?.terminated ?? (waiting?.reason === 'CrashLoopBackOff' ? s.lastState?.terminated : undefined);
    if (term && term.exitCode !== 0) return fail(terminatedProblem(s.name, term, memoryLimit), { container: s.name, previous: !s.state?.terminated });
    if (s.state?.running) return { name, phase: 'building', ready: false, reason: null, logsFrom: null };
  }
  const fn = st.containerStatuses?.find((s) => s.name === container);
  if (!fn) {
    if (st.initContainerStatuses?.some((s) => !s.ready && !s.state?.terminated)) return { name, phase: 'building', ready: false, reason: null, logsFrom: null };
    return { name, phase: scheduled?.status === 'True' ? 'starting' : 'scheduling', ready: false, reason: null, logsFrom: null };
  }
  const waiting = fn.state?.waiting;
  if (waiting?.reason && PULL_FAILURES.has(waiting.reason)) return fail(imageProblem(fn, waiting.reason, waiting.message));
  if (waiting?.reason && CONFIG_FAILURES.has(waiting.reason)) {
    return fail(`Kubernetes could not start the function's container (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}).`);
  }
  // A crash at start fails the deploy on the first exit: waiting for CrashLoopBackOff would only add backoff time.
  const term = fn.state?.terminated ?? fn.lastState?.terminated;
  if (term && (term.exitCode !== 0 || term.reason === 'OOMKilled')) {
    return fail(terminatedProblem(fn.name, term, memoryLimit), { container: fn.name, previous: !fn.state?.terminated });
  }
  if (waiting?.reason === 'ContainerCreating' || waiting?.reason === 'PodInitializing') {
    return { name, phase: 'starting', ready: false, reason: null, logsFrom: null };
  }
  if (fn.ready) return { name, phase: 'ready', ready: true, reason: null, logsFrom: null };
  if (fn.state?.running) return { name, phase: 'starting', ready: false, reason: null, logsFrom: null };
  return { name, phase: waiting ? 'pulling' : 'starting', ready: false, reason: null, logsFrom: null };
}

/** How long a running-but-not-ready container may stay so before the deploy calls readiness failing. */
export const READINESS_GRACE_MS = 30_000;

export function readinessFailing(pod: V1Pod, now = Date.now()): string | null {
  const fn = pod.status?.containerStatuses?.find((s) => s.name === CONTAINER.fn);
  const since = fn?.state?.running?.startedAt;
  if (!fn || fn.ready || !since) return null;
  const ms = now - new Date(since as unknown as string).getTime();
  if (ms < READINESS_GRACE_MS) return null;
  return `The function's container runs but its readiness check (/readyz) has failed for ${Math.round(ms / 1000)} s. Its log may say why.`;
}
