import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { GATEWAY_NAME, gatewaySelector } from '../../electron/engine/gateway/manifests';
import { cluster, core, createNamespace, deleteNamespace, harness, invokeUntilReady, nodeSpec, type FunctionsHarness } from './support-functions';
import { apps } from './support-gateway';

/**
 * The gateway's objects go through the same ownership checks as a function's: a person's objects
 * named like them stop the install before anything is written, and stay byte for byte unchanged.
 */
let ns: string;
let h: FunctionsHarness;
const rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api);

beforeAll(async () => {
  ns = await createNamespace('gwowner');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('gateway ownership', () => {
  it("a person's Role and ConfigMap named like the gateway's stop its install, unchanged; the function keeps working without it", async () => {
    const role = await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name: GATEWAY_NAME }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } });
    const cm = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'funcdeck-gateway-status' }, data: { mine: 'yes' } } });
    await h.call('functions.deploy', { spec: nodeSpec('owned', "exports.main = async () => 'plain';\n"), wait: true });
    expect((await invokeUntilReady(ns, 'owned', 1)).text).toBe('plain');

    const err = await h.call('traffic.set', { name: 'owned', weights: [{ revision: 1, percent: 100 }], tags: [{ name: 'try', revision: 1 }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    const message = (err as Error).message;
    expect(message).toMatch(/^Cannot install Funcdeck's gateway \(splits, tags, scale to zero and autoscaling need it\): namespace "[^"]+" already has /);
    expect(message).toContain(`Role "${GATEWAY_NAME}" (it has no Funcdeck labels`);
    expect(message).toContain('ConfigMap "funcdeck-gateway-status" (it has no Funcdeck labels');
    expect(message).toContain('Nothing was changed');

    const roleAfter = await rbac.readNamespacedRole({ name: GATEWAY_NAME, namespace: ns });
    const cmAfter = await core.readNamespacedConfigMap({ name: 'funcdeck-gateway-status', namespace: ns });
    expect(roleAfter.metadata?.resourceVersion).toBe(role.metadata?.resourceVersion);
    expect(roleAfter.rules).toEqual(role.rules);
    expect(cmAfter.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
    expect((await core.listNamespacedServiceAccount({ namespace: ns, labelSelector: gatewaySelector() })).items).toEqual([]);
    expect((await apps.listNamespacedDeployment({ namespace: ns, labelSelector: gatewaySelector() })).items).toEqual([]);
    expect((await invokeUntilReady(ns, 'owned', 1)).text).toBe('plain');

    await h.call('functions.delete', { name: 'owned' });
    expect((await rbac.readNamespacedRole({ name: GATEWAY_NAME, namespace: ns })).metadata?.resourceVersion).toBe(role.metadata?.resourceVersion);
    expect((await core.readNamespacedConfigMap({ name: 'funcdeck-gateway-status', namespace: ns })).data).toEqual({ mine: 'yes' });
  });
});
