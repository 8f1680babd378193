import type { Manifest } from '../deploy/owned-writes';
import { ownerLabels, GATEWAY_OWNER } from '../deploy/ownership';
import { OPS_PORT, STATUS_CONFIGMAP } from './shared/constants';
import { GATEWAY_ANNOTATIONS } from './shared/traffic-doc';
import { GATEWAY_SOURCE } from './program';

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
export { STATUS_CONFIGMAP };

export const gatewayLabels = () => ownerLabels(GATEWAY_OWNER);
export const gatewaySelector = () =>
  Object.entries(gatewayLabels())
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
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
  // Events about canaries and functions that cannot start.
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
];

export interface GatewayManifestInput {
  namespace: string;
  image: string;
  version: string;
}

export function gatewayManifests(i: GatewayManifestInput): { serviceAccount: Manifest; role: Manifest; roleBinding: Manifest; code: Manifest; status: Manifest; service: Manifest; deployment: Manifest } {
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
    code: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(ns, codeConfigMapName(i.version), { annotations: { [GATEWAY_ANNOTATIONS.version]: i.version } }), data: { [GATEWAY_FILE]: GATEWAY_SOURCE }, immutable: true } as Manifest,
    // Only its labels are Funcdeck's (the engine's); its data is the gateway's own.
    status: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(ns, STATUS_CONFIGMAP) },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(ns, GATEWAY_NAME),
      spec: { type: 'ClusterIP', selector: gatewayLabels(), ports: [{ name: 'ops', port: OPS_PORT, targetPort: 'ops', protocol: 'TCP' }] },
    } as Manifest,
    deployment: gatewayDeployment(i),
  };
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
      selector: { matchLabels: gatewayLabels() },
      template: {
        metadata: { labels: gatewayLabels(), annotations: { [GATEWAY_ANNOTATIONS.version]: i.version } },
        spec: {
          serviceAccountName: GATEWAY_NAME,
          automountServiceAccountToken: true,
          enableServiceLinks: false,
          // Drain (5 s) plus the longest a held call waits for a pod (25 s), plus margin.
          terminationGracePeriodSeconds: 60,
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
          volumes: [{ name: 'code', configMap: { name: codeConfigMapName(i.version), items: [{ key: GATEWAY_FILE, path: GATEWAY_FILE }] } }],
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
                { name: 'NODE_ENV', value: 'production' },
              ],
              ports: [{ name: 'ops', containerPort: OPS_PORT, protocol: 'TCP' }],
              readinessProbe: probe('/readyz', 1, 1),
              livenessProbe: { ...probe('/healthz', 10, 3), initialDelaySeconds: 5 },
              resources: { requests: { cpu: '50m', memory: '48Mi' }, limits: { cpu: '1', memory: '192Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'code', mountPath: GATEWAY_DIR, readOnly: true }],
            },
          ],
        },
      },
    },
  } as Manifest;
}
