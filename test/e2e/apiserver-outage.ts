// Stops the dev cluster's API server for a while during an e2e story, and always brings it back.
import { CoreV1Api } from '@kubernetes/client-node';
import { testCluster } from '../support/cluster-target';
import { runApiServerOutage, untilClusterDnsResynced } from '../support/apiserver-outage';

/**
 * Stops kube-apiserver for `downMs` and starts it again, under cluster.sh's lock (see
 * test/support/apiserver-outage.ts). Resolves once cluster DNS resolves a new Service again, so the
 * tests that follow find a whole cluster.
 */
export async function stopDevApiServerFor(downMs: number): Promise<void> {
  const cluster = testCluster();
  if (!cluster.devCluster) throw new Error('stopping the API server needs the dev cluster');
  await runApiServerOutage(downMs);
  await untilClusterDnsResynced(cluster.kc.makeApiClient(CoreV1Api));
}
