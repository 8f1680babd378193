import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { kubeRequest } from '../kube/http';
import { OPS_PORT } from './shared/constants';
import type { GatewayStatusDoc } from './shared/status-doc';
import { collections, listObjects } from '../deploy/kube-ops';
import { GATEWAY_OWNER, isOurs } from '../deploy/ownership';
import { readGateway } from './install';
import { routerSelector } from './manifests';

/** Reading the gateway's read-only /status through the API server's pod proxy (no port is opened to the engine). */
export async function readPodStatus(kc: KubeConfig, ns: string, pod: string, signal?: AbortSignal): Promise<GatewayStatusDoc | null> {
  try {
    const res = await kubeRequest(kc, { path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}:${OPS_PORT}/proxy/status`, timeoutMs: 3000, signal });
    if (res.status !== 200) return null;
    return JSON.parse(res.body.toString('utf8')) as GatewayStatusDoc;
  } catch {
    return null;
  }
}

const live = (p: V1Pod) => !p.metadata?.deletionTimestamp && !!p.status?.podIP && p.status?.phase === 'Running';

/** Every running gateway pod's status (pods that do not answer are left out). */
export async function readGatewayStatus(kc: KubeConfig, ns: string, signal?: AbortSignal): Promise<Array<{ pod: V1Pod; status: GatewayStatusDoc }>> {
  const { pods } = await readGateway(kc, ns);
  const out = await Promise.all(pods.filter(live).map(async (pod) => ({ pod, status: await readPodStatus(kc, ns, pod.metadata!.name!, signal) })));
  return out.filter((x): x is { pod: V1Pod; status: GatewayStatusDoc } => x.status !== null);
}

/**
 * Waits until every gateway pod that is ready (and not stopping) serves the function's routes as
 * written (the annotation's hash) on a bound port: from then on, any call the gateway gets follows
 * them. Pods that are still starting read the routes when they list, so they need no waiting.
 */
export async function waitForRoutes(kc: KubeConfig, ns: string, fn: string, hash: string, timeoutMs = 15_000, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lag = 'no gateway pod answered';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new FuncdeckError('CANCELLED', 'Stopped waiting for the gateway: the cluster selection changed.');
    const pods = (await listObjects<V1Pod>(kc, collections(ns).pods, routerSelector())).filter((p) => isOurs(p, GATEWAY_OWNER));
    const ready = pods.filter((p) => live(p) && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const states = await Promise.all(ready.map((p) => readPodStatus(kc, ns, p.metadata!.name!, signal)));
    const lagging = ready.filter((_, i) => {
      const f = states[i]?.functions[fn];
      return !f || f.hash !== hash || !f.listening;
    });
    if (ready.length && !lagging.length) return;
    lag = ready.length ? `pod ${lagging.map((p) => p.metadata?.name).join(', ')} has not picked the change up` : 'no gateway pod is ready';
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new FuncdeckError('TIMEOUT', `The gateway in namespace "${ns}" did not take the new routes of "${fn}" within ${Math.round(timeoutMs / 1000)} s (${lag}). The gateway's log says more.`);
}
