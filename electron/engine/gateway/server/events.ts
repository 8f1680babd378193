import type { Kube } from './kube';
import { statusMessage } from './kube';
import type { Log } from './log';

/**
 * Kubernetes Events about a function, on its Service (which carries the function's labels, so the
 * engine's events view shows them with the function's other events).
 */
export async function recordEvent(kube: Kube, log: Log, pod: string, fn: string, serviceUid: string, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
  const now = new Date().toISOString();
  const body = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${fn}.`, namespace: kube.namespace },
    involvedObject: { apiVersion: 'v1', kind: 'Service', name: fn, namespace: kube.namespace, uid: serviceUid },
    type,
    reason,
    message: message.slice(0, 1024),
    source: { component: 'funcdeck-gateway' },
    reportingComponent: 'funcdeck.dev/gateway',
    reportingInstance: pod,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
  try {
    const res = await kube.request('POST', `/api/v1/namespaces/${encodeURIComponent(kube.namespace)}/events`, body, { timeoutMs: 10_000 });
    if (res.status >= 300) log(`could not record event ${reason} for ${fn}: HTTP ${res.status} ${statusMessage(res.body)}`);
  } catch (e) {
    log(`could not record event ${reason} for ${fn}: ${(e as Error).message}`);
  }
}
