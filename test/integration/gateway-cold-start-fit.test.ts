import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../shared/contract/invoke';
import { core, nodeSpec, type FunctionsHarness } from './support-functions';
import { openGatewaySuite, type GatewaySuite } from './support-gateway';

/**
 * Cold starts of Node.js revisions the warm pool cannot serve as they are (its pod has no access to
 * them): installed packages (ConfigMap parts unpacked into the pod's deps emptyDir) and a Secret read
 * into the environment. Each starts a pod of its own and answers with what it needs, at its first call.
 */
let ns: string;
let h: FunctionsHarness;
let send: (req: unknown) => Promise<InvokeResult>;
const scale = { min: 0, max: 1, scaleToZeroGraceSeconds: 2 };

async function untilNoPods(fn: string): Promise<void> {
  await expect.poll(async () => (await core.listNamespacedPod({ namespace: ns, labelSelector: `funcdeck.dev/function=${fn}` })).items.length, { timeout: 90_000, interval: 500 }).toBe(0);
}

let suite: GatewaySuite | undefined;
beforeAll(async () => {
  suite = await openGatewaySuite('gwfit');
  ({ ns, h, send } = suite);
});
afterAll(() => suite?.close());

describe('gateway: cold starts the warm pool leaves to the revision’s own pod', () => {
  it('a function with installed packages starts its own pod at zero, which has them', async () => {
    const code = "const ms = require('ms');\nexports.main = () => 'two hours is ' + ms('2h');\n";
    await h.call('functions.deploy', { spec: nodeSpec('packed', code, { dependencies: JSON.stringify({ dependencies: { ms: '2.1.3' } }), scale }), wait: true });
    await untilNoPods('packed');
    const res = await send({ function: 'packed', timeoutMs: 60_000 });
    expect(res).toMatchObject({ status: 200, body: { content: 'two hours is 7200000' }, coldStart: { source: 'new-pod', pod: expect.stringMatching(/^packed-r1-/) } });
  });

  it('a function reading a Secret into its environment starts its own pod at zero, which has the value', async () => {
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'db' }, stringData: { password: 's3cret' } } });
    const code = "exports.main = () => 'password ' + process.env.DB_PASSWORD;\n";
    await h.call('functions.deploy', { spec: nodeSpec('secretive', code, { envFrom: [{ from: 'secret', name: 'db', key: 'password', as: 'DB_PASSWORD' }], scale }), wait: true });
    await untilNoPods('secretive');
    const res = await send({ function: 'secretive', timeoutMs: 60_000 });
    expect(res).toMatchObject({ status: 200, body: { content: 'password s3cret' }, coldStart: { source: 'new-pod', pod: expect.stringMatching(/^secretive-r1-/) } });
  });
});
