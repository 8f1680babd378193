import type { KubeConfig, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract/errors';
import { collections, getObject, lastLogLines, listObjects } from '../deploy/kube-ops';
import { MANAGED_SELECTOR } from '../deploy/names';
import { applyOwned, deleteOwned, type Manifest } from '../deploy/owned-writes';
import { GATEWAY_OWNER, isOurs, type LabelledObject } from '../deploy/ownership';
import { podStateOf } from '../deploy/pod-status';
import { checkBeforeWriting, objectKey, undoCreated } from '../deploy/write-plan';
import { LABELS } from '../../../shared/contract/runtime-protocol';
import { codeConfigMapName, GATEWAY_CONTAINER, GATEWAY_NAME, gatewayManifests, gatewaySelector, POOL_KEY_SECRET, routerSelector, STATUS_CONFIGMAP } from './manifests';
import { gatewayVersion } from './program';
import { GATEWAY_ANNOTATIONS } from './shared/traffic-doc';

/**
 * Installs, upgrades and removes the namespace gateway. Every object goes through the same
 * ownership pre-flight and owned writes as a function's: one that exists without the gateway's
 * labels stops the install (CONFLICT naming it) before anything is written, and a write the API
 * server refuses (typically: no permission to create Roles) undoes what this install created.
 */
export interface GatewayTarget {
  kc: KubeConfig;
  namespace: string;
  image: string;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The gateway as the cluster has it: its Deployment (when it is ours) and pods. */
export async function readGateway(kc: KubeConfig, ns: string): Promise<{ deployment: V1Deployment | null; pods: V1Pod[] }> {
  const c = collections(ns);
  const [dep, pods] = await Promise.all([getObject<V1Deployment>(kc, c.deployments, GATEWAY_NAME), listObjects<V1Pod>(kc, c.pods, routerSelector())]);
  return { deployment: dep && isOurs(dep, GATEWAY_OWNER) ? dep : null, pods: pods.filter((p) => isOurs(p, GATEWAY_OWNER)) };
}

function rolledOut(dep: V1Deployment, version: string): boolean {
  const st = dep.status ?? {};
  return (
    dep.metadata?.annotations?.[GATEWAY_ANNOTATIONS.version] === version &&
    (st.observedGeneration ?? 0) >= (dep.metadata?.generation ?? 1) &&
    (st.updatedReplicas ?? 0) >= 1 &&
    (st.availableReplicas ?? 0) >= 1
  );
}

/**
 * Makes sure the namespace has a ready gateway of this Funcdeck's version: nothing to do when it has
 * (one read), installs it when absent, upgrades it in place when its version differs (the Deployment
 * rolls: the new pod must be ready before the old one is stopped, and the old one drains). Returns
 * the version running.
 */
export async function ensureGateway(t: GatewayTarget, timeoutMs = 120_000): Promise<string> {
  const version = gatewayVersion(t.image);
  const current = await getObject<V1Deployment>(t.kc, collections(t.namespace).deployments, GATEWAY_NAME);
  if (current && isOurs(current, GATEWAY_OWNER) && rolledOut(current, version)) return version;

  const m = gatewayManifests({ namespace: t.namespace, image: t.image, version });
  const writes: Manifest[] = [m.serviceAccount, m.role, m.roleBinding, m.code, m.status, m.key, m.service, m.deployment, m.pool];
  const plan = await checkBeforeWriting(t.kc, t.namespace, GATEWAY_OWNER, writes, [], `install Funcdeck's gateway (splits, tags, scale to zero and autoscaling need it)`);
  const created: Array<{ kind: string; obj: LabelledObject }> = [];
  try {
    for (const w of writes) {
      // The program's ConfigMap is immutable: once there, it is right (its name is its version).
      if (w === m.code && plan.existing.has(objectKey('ConfigMap', codeConfigMapName(version)))) continue;
      // The pool key is made once; rewriting it would leave running pods with another key.
      if (w === m.key && plan.existing.has(objectKey('Secret', POOL_KEY_SECRET))) continue;
      const obj = await applyOwned<LabelledObject>(t.kc, w);
      if (!plan.existing.has(objectKey(w.kind, w.metadata?.name ?? ''))) created.push({ kind: w.kind, obj });
    }
  } catch (e) {
    await undoCreated(t.kc, GATEWAY_OWNER, created);
    if (e instanceof FuncdeckError && e.code === 'FORBIDDEN') {
      throw new FuncdeckError(
        'FORBIDDEN',
        `Traffic splits, tags, scale to zero and autoscaling need Funcdeck's gateway in namespace "${t.namespace}", and installing it was refused: ${e.message} ` +
          'Installing it needs permission to create a ServiceAccount, a Role and a RoleBinding there (for example the "admin" role in the namespace). Functions that use none of these keep working without it.',
        e.details,
      );
    }
    throw e;
  }
  await waitForRollout(t, version, timeoutMs);
  void removeOldCode(t.kc, t.namespace, version).catch(() => undefined);
  return version;
}

async function waitForRollout(t: GatewayTarget, version: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let why = 'its pod did not become ready';
  while (Date.now() < deadline) {
    if (t.signal?.aborted) throw new FuncdeckError('CANCELLED', 'Stopped waiting for the gateway: the cluster selection changed.');
    const { deployment, pods } = await readGateway(t.kc, t.namespace);
    if (!deployment) throw new FuncdeckError('CONFLICT', `The gateway's Deployment "${GATEWAY_NAME}" in namespace "${t.namespace}" disappeared while it was starting. Try again.`);
    if (rolledOut(deployment, version)) return;
    const mine = pods.filter((p) => p.metadata?.annotations?.[GATEWAY_ANNOTATIONS.version] === version && !p.metadata?.deletionTimestamp);
    for (const p of mine) {
      const s = podStateOf(p, GATEWAY_CONTAINER);
      if (s.phase === 'failed') {
        const lines = s.logsFrom ? await lastLogLines(t.kc, t.namespace, s.name, s.logsFrom.container, s.logsFrom.previous, 10) : [];
        throw new FuncdeckError('DEPLOY_FAILED', `Funcdeck's gateway in namespace "${t.namespace}" did not start: ${s.reason?.replace(/function/g, 'gateway')}${lines.length ? ` Its last log lines: ${lines.join(' | ')}` : ''}`, {
          lastLogLines: lines,
        });
      }
      why = `pod ${s.name} is ${s.phase}`;
    }
    await sleep(250);
  }
  throw new FuncdeckError('TIMEOUT', `Funcdeck's gateway in namespace "${t.namespace}" was not ready within ${Math.round(timeoutMs / 1000)} s (${why}). Its pod's events and log say more.`);
}

/** Program ConfigMaps of versions no pod runs any more. */
async function removeOldCode(kc: KubeConfig, ns: string, version: string): Promise<void> {
  const { deployment } = await readGateway(kc, ns);
  if (!deployment || (deployment.status?.replicas ?? 0) !== (deployment.status?.updatedReplicas ?? 0)) return; // old pods still running
  const maps = await listObjects<LabelledObject & { metadata?: { annotations?: Record<string, string> } }>(kc, collections(ns).configmaps, gatewaySelector());
  for (const cm of maps) {
    const v = cm.metadata?.annotations?.[GATEWAY_ANNOTATIONS.version];
    if (v && v !== version && cm.metadata?.name === codeConfigMapName(v)) await deleteOwned(kc, 'ConfigMap', GATEWAY_OWNER, cm);
  }
}

const GATEWAY_KINDS = [
  ['services', 'Service'],
  ['deployments', 'Deployment'],
  ['rolebindings', 'RoleBinding'],
  ['roles', 'Role'],
  ['serviceaccounts', 'ServiceAccount'],
  ['configmaps', 'ConfigMap'],
  ['secrets', 'Secret'],
] as const;

/**
 * Removes the gateway when no function is left in the namespace (found by label: every object of a
 * function carries its name). Only objects labelled as the gateway's are deleted, each by uid.
 * Returns what was deleted.
 */
export async function removeGatewayIfUnused(kc: KubeConfig, ns: string): Promise<string[]> {
  const c = collections(ns);
  const [deps, svcs] = await Promise.all([listObjects<LabelledObject>(kc, c.deployments, MANAGED_SELECTOR), listObjects<LabelledObject>(kc, c.services, MANAGED_SELECTOR)]);
  if ([...deps, ...svcs].some((o) => o.metadata?.labels?.[LABELS.function])) return [];
  const deleted: string[] = [];
  for (const [key, kind] of GATEWAY_KINDS) {
    const objs = await listObjects<LabelledObject>(kc, c[key], gatewaySelector());
    for (const o of objs) if ((await deleteOwned(kc, kind, GATEWAY_OWNER, o)) === 'deleted') deleted.push(`${kind.toLowerCase()}/${o.metadata?.name ?? ''}`);
  }
  return deleted;
}

export { STATUS_CONFIGMAP };
