import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kubeJson } from '../../electron/engine/kube/http';
import { interopHandlers } from '../../electron/engine/interop/handlers';
import { ExportResult } from '../../shared/contract/interop';
import { cluster, core, createNamespace, deleteNamespace, harness, invokeUntilReady, nodeSpec, type FunctionsHarness } from './support-functions';
import { installCrds, readCrds, removeCrds } from './support-crds';

/**
 * Exports checked by the real API server: the plain manifests with a server-side dry run (as
 * `kubectl apply --server-side --dry-run=server` in CI would, and object by object with strict field
 * validation), and the Knative Service against Knative's own Service CRD installed for this test.
 */
const run = promisify(execFile);
const FIXTURES = path.join(import.meta.dirname, '../fixtures');
let ns: string;
let target: string;
let h: FunctionsHarness;
let exportCall: (params: { name: string; format: 'manifests' | 'knative'; namespace?: string; revision?: number }) => Promise<ExportResult>;

const HANDLER = 'exports.main = () => "exported";\n';
const DEPS_HANDLER = 'const pad = require("left-pad");\nexports.main = () => pad("x", 3, "-");\n';

beforeAll(async () => {
  ns = await createNamespace('export');
  target = await createNamespace('export-to');
  h = harness(ns);
  const handlers = interopHandlers(h.ctx);
  exportCall = async (p) => ExportResult.parse(await handlers['interop.export'](p as never));
  await core.createNamespacedSecret({ namespace: target, body: { metadata: { name: 'db' }, stringData: { password: 'p' } } });
  const spec = nodeSpec('shop', HANDLER, {
    labels: { team: 'shop' },
    annotations: { 'example.com/owner': 'ana' },
    envFrom: [{ from: 'secret', name: 'db', key: 'password', as: 'DB_PASSWORD' }],
    mounts: [{ from: 'secret', name: 'db', path: '/etc/db' }],
    resources: { limits: { memory: '200Mi' } },
    cron: { schedule: '*/30 * * * *', payload: '{"tick":true}' },
    files: [
      { path: 'handler.js', content: HANDLER },
      { path: 'notes.txt', content: 'odd text: \u0085 \u2028 \u007f end\n' },
    ],
  });
  await h.call('functions.deploy', { spec, wait: false });
  // With dependencies: the exports carry the installed archive's parts.
  await h.call('functions.deploy', { spec: nodeSpec('withdeps', DEPS_HANDLER, { dependencies: '{"dependencies":{"left-pad":"1.3.0"}}', timeoutSeconds: 30 }), wait: false });
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
  if (target) await deleteNamespace(target);
});

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } });

/** Creates one object with dryRun=All and strict field validation: every field must be known to the API server. */
async function dryRunCreate(obj: { apiVersion: string; kind: string; metadata: { name: string } }, plural: string): Promise<void> {
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  await kubeJson(
    cluster.kc,
    { method: 'POST', path: `${base}/namespaces/${target}/${plural}`, query: { dryRun: 'All', fieldValidation: 'Strict' }, body: obj, timeoutMs: 30_000 },
    { verb: 'create', resource: plural, namespace: target },
  );
}
const PLURAL: Record<string, string> = { ConfigMap: 'configmaps', Deployment: 'deployments', Service: 'services', CronJob: 'cronjobs' };

describe('export as plain manifests', () => {
  it('passes the API server’s dry run, object by object with strict validation and through kubectl apply', async () => {
    const out = await exportCall({ name: 'shop', format: 'manifests', namespace: target });
    const objects = docs(out.text);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/shop-r1', 'Deployment/shop-r1', 'Service/shop', 'CronJob/shop-cron']);
    for (const o of objects) await dryRunCreate(o, PLURAL[o.kind]!);

    const kubectl = process.env.KUBECTL ?? 'kubectl';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-it-export-'));
    try {
      fs.writeFileSync(path.join(dir, out.fileName), out.text);
      fs.writeFileSync(path.join(dir, 'kubeconfig'), cluster.kc.exportConfig());
      // As the export's note says: kubectl apply -f (kubectl's server-side apply re-encodes as YAML and refuses the control characters in notes.txt).
      const { stdout } = await run(kubectl, ['--kubeconfig', path.join(dir, 'kubeconfig'), '--context', cluster.context, 'apply', '--dry-run=server', '-f', path.join(dir, out.fileName)], { timeout: 60_000 });
      expect(stdout).toMatch(/configmap\/shop-r1 created \(server dry run\)/);
      expect(stdout).toMatch(/deployment\.apps\/shop-r1 created \(server dry run\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // A dry run leaves nothing behind.
    expect((await core.listNamespacedConfigMap({ namespace: target, labelSelector: 'funcdeck.dev/function=shop' })).items).toEqual([]);
  });

  it('is what the deploy applied: the exported Deployment matches the live one’s spec', async () => {
    const out = await exportCall({ name: 'shop', format: 'manifests' });
    const dep = docs(out.text)[1] as unknown as { spec: { template: { spec: { containers: Array<{ env: unknown; volumeMounts: unknown; resources: unknown }> } } } };
    const live = await kubeJson<typeof dep>(cluster.kc, { path: `/apis/apps/v1/namespaces/${ns}/deployments/shop-r1` }, { verb: 'get', resource: 'deployments' });
    const pick = (d: typeof dep) => d.spec.template.spec.containers.map((c) => ({ env: c.env, volumeMounts: c.volumeMounts, resources: c.resources }));
    // The live object has every field of the export (plus what the API server defaults, e.g. divisor).
    expect(pick(live)).toMatchObject(pick(dep));
  });
});

describe('an exported function with dependencies, applied elsewhere', () => {
  let elsewhere: string;
  afterAll(async () => {
    if (elsewhere) await deleteNamespace(elsewhere);
  });

  it('starts there with its packages, from the exported manifests alone (kubectl apply, no registry)', async () => {
    elsewhere = await createNamespace('export-run');
    const out = await exportCall({ name: 'withdeps', format: 'manifests', namespace: elsewhere });
    expect(docs(out.text).map((o) => o.kind)).toEqual(['ConfigMap', 'ConfigMap', 'Deployment', 'Service']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-it-export-'));
    try {
      fs.writeFileSync(path.join(dir, out.fileName), out.text);
      fs.writeFileSync(path.join(dir, 'kubeconfig'), cluster.kc.exportConfig());
      await run(process.env.KUBECTL ?? 'kubectl', ['--kubeconfig', path.join(dir, 'kubeconfig'), '--context', cluster.context, 'apply', '-f', path.join(dir, out.fileName)], { timeout: 60_000 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // left-pad answers only if the pod unpacked the exported archive.
    expect((await invokeUntilReady(elsewhere, 'withdeps', 1, 90_000)).text).toBe('--x');
  });
});

describe('export as a Knative Service', () => {
  let installed: string[] = [];
  beforeAll(async () => {
    installed = await installCrds(readCrds(path.join(FIXTURES, 'knative/service-crd.yaml')), ns);
  });
  afterAll(async () => {
    await removeCrds(installed);
  });

  it.each(['shop', 'withdeps'])('%s is accepted by Knative’s Service schema (dry-run create, strict)', async (name) => {
    const out = await exportCall({ name, format: 'knative', namespace: target });
    const all = docs(out.text);
    for (const o of all) await dryRunCreate(o, o.kind === 'Service' ? 'services' : 'configmaps');
    const svc = all.at(-1);
    expect(all.length).toBe(name === 'withdeps' ? 3 : 2);
    expect(svc).toMatchObject({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', spec: { traffic: [{ revisionName: `${name}-r1`, percent: 100, tag: 'r1' }] } });
  });

  it('a field Knative does not know is refused by the same check', async () => {
    const out = await exportCall({ name: 'shop', format: 'knative', namespace: target });
    const svc = docs(out.text)[1] as unknown as { spec: { template: { spec: Record<string, unknown> } } };
    svc.spec.template.spec.terminationGracePeriodSeconds = 30;
    await expect(dryRunCreate(svc as never, 'services')).rejects.toThrow(/terminationGracePeriodSeconds/);
  });
});
