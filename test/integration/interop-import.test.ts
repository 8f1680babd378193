import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeJson } from '../../electron/engine/kube/http';
import { interopHandlers } from '../../electron/engine/interop/handlers';
import { ImportResult, KubelessListing } from '../../shared/contract/interop';
import type { FunctionSpecInput } from '../../shared/contract/functions';
import { cluster, createNamespace, deleteNamespace, harness, invokeUntilReady, type FunctionsHarness } from './support-functions';
import { installCrds, readCrds, removeCrds } from './support-crds';

/**
 * Functions brought over from a cluster that still runs kubeless: its CRDs installed for the test,
 * Function and trigger objects created as kubeless's CLI writes them, listed, imported, deployed
 * by Funcdeck and invoked.
 */
const FIXTURES = path.join(import.meta.dirname, '../fixtures/kubeless');
let ns: string;
let h: FunctionsHarness;
let handlers: ReturnType<typeof interopHandlers>;

const kubeless = (plural: string, body: unknown) =>
  kubeJson(cluster.kc, { method: 'POST', path: `/apis/kubeless.io/v1beta1/namespaces/${ns}/${plural}`, body, timeoutMs: 20_000 }, { verb: 'create', resource: plural, namespace: ns });

beforeAll(async () => {
  ns = await createNamespace('import');
  h = harness(ns);
  handlers = interopHandlers(h.ctx);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('without kubeless', () => {
  it('says the cluster has no kubeless CRDs', async () => {
    const listing = KubelessListing.parse(await handlers['interop.kubeless.list']({}));
    expect(listing).toMatchObject({ available: false, functions: [], reason: expect.stringContaining('no kubeless CRDs') });
  });
});

describe('from a cluster with kubeless', () => {
  let installed: string[] = [];
  beforeAll(async () => {
    installed = await installCrds(readCrds(path.join(FIXTURES, 'crds.yaml')), ns);
    const zip = fs.readFileSync(path.join(FIXTURES, 'helloFunctions.zip'));
    await kubeless('functions', {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: { name: 'hello-zip', labels: { 'created-by': 'kubeless', function: 'hello-zip' } },
      spec: {
        runtime: 'nodejs14',
        handler: 'index.helloGet',
        'function-content-type': 'base64+zip',
        function: zip.toString('base64'),
        checksum: `sha256:${(await import('node:crypto')).createHash('sha256').update(zip).digest('hex')}`,
        deps: '',
        timeout: '60',
        deployment: { spec: { template: { spec: { containers: [{ name: '', resources: { requests: { memory: '128Mi' }, limits: { memory: '128Mi' } }, env: [{ name: 'GREETING', value: 'hi' }] }] } } } },
      },
    });
    await kubeless('functions', {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: { name: 'hello-py' },
      spec: { runtime: 'python3.8', handler: 'hello.main', function: 'def main(event, context):\n    return "hello from python"\n', timeout: '30' },
    });
    await kubeless('cronjobtriggers', { apiVersion: 'kubeless.io/v1beta1', kind: 'CronJobTrigger', metadata: { name: 'hello-zip-tick' }, spec: { 'function-name': 'hello-zip', schedule: '*/10 * * * *', payload: { tick: 1 } } });
    await kubeless('httptriggers', { apiVersion: 'kubeless.io/v1beta1', kind: 'HTTPTrigger', metadata: { name: 'hello-py-web' }, spec: { 'function-name': 'hello-py', 'host-name': 'hello.example.com' } });
  });
  afterAll(async () => {
    await removeCrds(installed);
  });

  it('lists its Functions with their triggers', async () => {
    const listing = KubelessListing.parse(await handlers['interop.kubeless.list']({}));
    expect(listing).toEqual({
      namespace: ns,
      available: true,
      reason: null,
      functions: [
        { name: 'hello-py', runtime: 'python3.8', handler: 'hello.main', triggers: ['HTTPTrigger hello-py-web'] },
        { name: 'hello-zip', runtime: 'nodejs14', handler: 'index.helloGet', triggers: ['CronJobTrigger hello-zip-tick'] },
      ],
    });
  });

  it('imports them as specs that deploy and answer, listing what was not carried', async () => {
    const result = ImportResult.parse(await handlers['interop.kubeless.import']({ names: ['hello-zip', 'hello-py'] }));
    const zip = result.functions.find((f) => f.source.name === 'hello-zip')!;
    const py = result.functions.find((f) => f.source.name === 'hello-py')!;
    expect(zip.issues).toEqual([]);
    expect(zip.spec).toMatchObject({
      runtime: 'nodejs',
      handler: 'index.helloGet',
      timeoutSeconds: 60,
      env: [{ name: 'GREETING', value: 'hi' }],
      resources: { requests: { memory: '128Mi' }, limits: { memory: '128Mi' } },
      cron: { schedule: '*/10 * * * *', payload: '{"tick":1}', contentType: 'application/json' },
      labels: { function: 'hello-zip' },
    });
    expect(py.notCarried).toEqual([expect.objectContaining({ what: 'HTTPTrigger hello-py-web (host hello.example.com)' })]);

    for (const f of [zip, py]) {
      const r = await h.call('functions.deploy', { spec: f.spec as FunctionSpecInput, wait: true });
      expect(r.ready).toBe(true);
    }
    expect((await invokeUntilReady(ns, 'hello-zip')).text).toBe('hello world!');
    expect((await invokeUntilReady(ns, 'hello-py')).text).toBe('hello from python');
  });

  it('refuses a name that is not there', async () => {
    await expect(handlers['interop.kubeless.import']({ names: ['nope'] })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"nope"') });
  });
});
