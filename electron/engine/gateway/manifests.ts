import type { Manifest } from '../deploy/owned-writes';
import { ownerLabels, GATEWAY_OWNER } from '../deploy/ownership';
import { randomBytes } from 'node:crypto';
import { OPS_PORT, PART_LABEL, POOL_KEY_SECRET, POOL_PORT, poolPart, ROUTER_PART, STATUS_CONFIGMAP } from './shared/constants';
import { GATEWAY_ANNOTATIONS } from './shared/traffic-doc';
import { GATEWAY_SOURCE, POOL_SOURCE } from './program';
import { RUNTIME_PORTS } from '../../../shared/contract/runtime-protocol';

/**
 * The namespace gateway's objects, all labelled as Funcdeck's gateway (never a function's):
 * ServiceAccount, Role and RoleBinding (least privilege, see README.md), the program's ConfigMap
 * (one per version, so a rolling upgrade keeps the old pods' code), the status ConfigMap it keeps
 * canary progress in, its Deployment and a Service for its ops port.
 */
export const GATEWAY_NAME = 'funcdeck-gateway';
export const GATEWAY_CONTAINER = 'gateway';
export const GATEWAY_FILE = 'gateway.cjs';
export const GATEWAY_DIR = '/funcdeck/gateway';
export const POOL_FILE = 'pool.cjs';
export const POOL_CONTAINER = 'pool';
export const poolName = (runtime: string) => `funcdeck-pool-${runtime}`;
export { STATUS_CONFIGMAP, POOL_KEY_SECRET };

/** Labels of every object of the gateway (router, pool, RBAC, ConfigMaps). */
export const gatewayLabels = () => ownerLabels(GATEWAY_OWNER);
/** The router's pods: what functions' Services select when they go through the gateway. */
export const routerLabels = () => ({ ...gatewayLabels(), [PART_LABEL]: ROUTER_PART });
export const poolLabels = (runtime: string) => ({ ...gatewayLabels(), [PART_LABEL]: poolPart(runtime) });
const selectorOf = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
export const gatewaySelector = () => selectorOf(gatewayLabels());
export const routerSelector = () => selectorOf(routerLabels());
export const codeConfigMapName = (version: string) => `${GATEWAY_NAME}-${version}`;

const meta = (ns: string, name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: ns, labels: gatewayLabels(), ...extra });

/** What the gateway may do in its namespace, and nothing more. Each rule says why. */
export const GATEWAY_RULES = [
  // Routes: the traffic annotations on functions' Services.
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
  // Where to send calls: revision pods' addresses, readiness, and why one does not start.
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  // Revisions: their scale settings and replica counts.
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
  // Scale to zero, activation and autoscaling: only the replica count (the scale subresource cannot change a pod template).
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch', 'update'] },
  // Canary progress, in its own status ConfigMap only.
  { apiGroups: [''], resources: ['configmaps'], resourceNames: [STATUS_CONFIGMAP], verbs: ['get', 'patch'] },
  // A revision's code for the warm pool, read by name at its cold start (not listed or watched; its labels are checked).
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
  // Events about canaries and functions that cannot start.
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
];

export interface GatewayManifestInput {
  namespace: string;
  image: string;
  version: string;
}

export function gatewayManifests(i: GatewayManifestInput): {
  serviceAccount: Manifest;
  role: Manifest;
  roleBinding: Manifest;
  code: Manifest;
  status: Manifest;
  key: Manifest;
  service: Manifest;
  deployment: Manifest;
  pool: Manifest;
} {
  const ns = i.namespace;
  return {
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(ns, GATEWAY_NAME) },
    role: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(ns, GATEWAY_NAME), rules: GATEWAY_RULES } as Manifest,
    roleBinding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(ns, GATEWAY_NAME),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: GATEWAY_NAME },
      subjects: [{ kind: 'ServiceAccount', name: GATEWAY_NAME, namespace: ns }],
    } as Manifest,
    code: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(ns, codeConfigMapName(i.version), { annotations: { [GATEWAY_ANNOTATIONS.version]: i.version } }), data: { [GATEWAY_FILE]: GATEWAY_SOURCE, [POOL_FILE]: POOL_SOURCE }, immutable: true } as Manifest,
    // The pool key: created once with random bytes, never rewritten (pods read it at start).
    key: { apiVersion: 'v1', kind: 'Secret', metadata: meta(ns, POOL_KEY_SECRET), type: 'Opaque', data: { key: Buffer.from(randomBytes(32).toString('base64')).toString('base64') } } as Manifest,
    // Only its labels are Funcdeck's (the engine's); its data is the gateway's own.
    status: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(ns, STATUS_CONFIGMAP) },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(ns, GATEWAY_NAME),
      spec: { type: 'ClusterIP', selector: routerLabels(), ports: [{ name: 'ops', port: OPS_PORT, targetPort: 'ops', protocol: 'TCP' }] },
    } as Manifest,
    deployment: gatewayDeployment(i),
    pool: poolDeployment(i, 'nodejs'),
  };
}

/**
 * One warm generic pod of a runtime: no function until the gateway hands it a revision's code at a
 * cold start (pool/main.ts). It has no ServiceAccount token, a read-only root and its work files in
 * memory; its control port takes only calls signed with the pool key.
 */
function poolDeployment(i: GatewayManifestInput, runtime: string): Manifest {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({ httpGet: { path, port: 'pool' }, periodSeconds, timeoutSeconds: 1, failureThreshold });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...meta(i.namespace, poolName(runtime), { annotations: { [GATEWAY_ANNOTATIONS.version]: i.version } }), labels: poolLabels(runtime) },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 1,
      selector: { matchLabels: poolLabels(runtime) },
      template: {
        metadata: { labels: poolLabels(runtime), annotations: { [GATEWAY_ANNOTATIONS.version]: i.version } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 15,
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
          volumes: [
            { name: 'code', configMap: { name: codeConfigMapName(i.version), items: [{ key: POOL_FILE, path: POOL_FILE }] } },
            { name: 'key', secret: { secretName: POOL_KEY_SECRET, items: [{ key: 'key', path: 'key' }] } },
            { name: 'work', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          ],
          containers: [
            {
              name: POOL_CONTAINER,
              image: i.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['node', `/funcdeck/pool/${POOL_FILE}`],
              env: [
                { name: 'FUNCDECK_POOL_KEY_FILE', value: '/funcdeck/key/key' },
                { name: 'FUNCDECK_POOL_WORK_DIR', value: '/tmp/funcdeck' },
                { name: 'NODE_ENV', value: 'production' },
              ],
              ports: [
                { name: 'pool', containerPort: POOL_PORT, protocol: 'TCP' },
                { name: 'http', containerPort: RUNTIME_PORTS.http, protocol: 'TCP' },
                { name: 'metrics', containerPort: RUNTIME_PORTS.metrics, protocol: 'TCP' },
              ],
              readinessProbe: probe('/readyz', 1, 1),
              livenessProbe: { ...probe('/healthz', 10, 3), initialDelaySeconds: 5 },
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'code', mountPath: '/funcdeck/pool', readOnly: true },
                { name: 'key', mountPath: '/funcdeck/key', readOnly: true },
                { name: 'work', mountPath: '/tmp' },
              ],
            },
          ],
        },
      },
    },
  } as Manifest;
}

function gatewayDeployment(i: GatewayManifestInput): Manifest {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({ httpGet: { path, port: 'ops' }, periodSeconds, timeoutSeconds: 1, failureThreshold });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(i.namespace, GATEWAY_NAME, { annotations: { [GATEWAY_ANNOTATIONS.version]: i.version } }),
    spec: {
      replicas: 1,
      revisionHistoryLimit: 2,
      progressDeadlineSeconds: 120,
      // An upgrade starts the new pod first and stops the old one only once the new one is ready.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: routerLabels() },
      template: {
        metadata: { labels: routerLabels(), annotations: { [GATEWAY_ANNOTATIONS.version]: i.version } },
        spec: {
          serviceAccountName: GATEWAY_NAME,
          automountServiceAccountToken: true,
          enableServiceLinks: false,
          // Drain (5 s) plus the longest a held call waits for a pod (25 s), plus margin.
          terminationGracePeriodSeconds: 60,
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
          volumes: [
            { name: 'code', configMap: { name: codeConfigMapName(i.version), items: [{ key: GATEWAY_FILE, path: GATEWAY_FILE }] } },
            { name: 'key', secret: { secretName: POOL_KEY_SECRET, items: [{ key: 'key', path: 'key' }] } },
          ],
          containers: [
            {
              name: GATEWAY_CONTAINER,
              image: i.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['node', `${GATEWAY_DIR}/${GATEWAY_FILE}`],
              env: [
                { name: 'FUNCDECK_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'FUNCDECK_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'FUNCDECK_GATEWAY_VERSION', value: i.version },
                { name: 'FUNCDECK_POOL_KEY_FILE', value: '/funcdeck/key/key' },
                { name: 'NODE_ENV', value: 'production' },
              ],
              ports: [{ name: 'ops', containerPort: OPS_PORT, protocol: 'TCP' }],
              readinessProbe: probe('/readyz', 1, 1),
              livenessProbe: { ...probe('/healthz', 10, 3), initialDelaySeconds: 5 },
              resources: { requests: { cpu: '50m', memory: '48Mi' }, limits: { cpu: '1', memory: '192Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'code', mountPath: GATEWAY_DIR, readOnly: true },
                { name: 'key', mountPath: '/funcdeck/key', readOnly: true },
              ],
            },
          ],
        },
      },
    },
  } as Manifest;
}
