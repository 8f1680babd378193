import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { RevisionInfo } from '../../../../shared/contract/revisions';
import { buildFunction } from '../../build/build';
import { cronJob } from '../../cron/manifest';
import { objectMetadata } from '../../deploy/extras';
import { functionService, revisionConfigMap, revisionDeployment } from '../../deploy/manifests';
import { dependencyParts, partKey, partName } from '../../deps/delivery';
import { parseSpec } from '../../functions/spec';
import { exportKnative } from './knative';
import { exportManifests } from './manifests';
import { checkAgainst, flaggedFields, type Schema } from './openapi-check.test-support';
import type { ExportSource } from './revision';

const crd = parse(fs.readFileSync(path.join(import.meta.dirname, '../../../../test/fixtures/knative/service-crd.yaml'), 'utf8')) as {
  spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> };
};
const knativeSchema = crd.spec.versions.find((v) => v.name === 'v1')!.schema.openAPIV3Schema;

const info = (number: number, trafficPercent: number): RevisionInfo => ({
  number,
  created: null,
  checksum: '',
  image: 'img:1',
  ready: 1,
  desired: 1,
  trafficPercent,
  serving: trafficPercent > 0,
  status: 'Ready',
  reason: null,
  failedAt: null,
  rolledBackFrom: false,
  settings: null,
  changes: null,
});

async function source(extra: Record<string, unknown>, revisions: RevisionInfo[] = [info(4, 100)], revision = 4): Promise<ExportSource> {
  const parsed = parseSpec({ name: 'shop', runtime: 'nodejs', handler: 'handler.main', files: [{ path: 'handler.js', content: 'exports.main = () => "ok";\n' }], ...extra });
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.issues));
  const image = 'localhost/funcdeck/node:20';
  const build = await buildFunction(parsed.spec, image);
  return { input: { namespace: 'prod', spec: parsed.spec, build, revision, image, created: '2026-01-01T00:00:00.000Z' }, revisions, checksumChanged: false };
}
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);

const ARCHIVE = Buffer.from('a gzip archive of node_modules, as far as the export is concerned');
const DIGEST = 'ab'.repeat(32);
/** The source as read back from a revision that shipped dependencies (deps/read-back.ts). */
async function withDeps(src: ExportSource): Promise<ExportSource> {
  const dependencies = { digest: DIGEST, bytes: ARCHIVE.length, unpackedBytes: 4096, allocatedBytes: 8192, packages: [{ name: 'left-pad', version: '1.3.0' }], gz: ARCHIVE };
  return { ...src, input: { ...src.input, dependencies } };
}

describe('export as the manifests Funcdeck applies', () => {
  it('is exactly what the deploy’s builders make, as multi-document YAML with notes', async () => {
    const src = await source({ labels: { team: 'shop' }, cron: { schedule: '*/5 * * * *', payload: '{}', contentType: 'application/json' }, envFrom: [{ from: 'secret', name: 'db' }] });
    const out = exportManifests(src, 'localhost/funcdeck/node:20');
    const meta = objectMetadata(src.input.spec);
    expect(docs(out.text)).toEqual([
      revisionConfigMap(src.input),
      revisionDeployment(src.input, 1),
      functionService('prod', 'shop', 4, meta),
      cronJob('prod', 'shop', src.input.spec.cron!, 'localhost/funcdeck/node:20', 180, meta),
    ]);
    expect(out.fileName).toBe('shop.yaml');
    expect(out.text.startsWith('# Revision 4 of shop, as Funcdeck applies it, in namespace prod.')).toBe(true);
    expect(out.notes).toContain('It reads Secret db: create it in the target namespace first (values are never exported).');
    // Sources stay readable.
    expect(out.text).toContain('file-0: |\n    exports.main = () => "ok";');
  });

  it('ships the installed packages first, as the deploy’s parts, so the exported pod starts with them', async () => {
    const src = await withDeps(await source({ dependencies: '{"dependencies":{"left-pad":"1.3.0"}}' }));
    const out = exportManifests(src, 'localhost/funcdeck/node:20');
    const all = docs(out.text);
    expect(all.slice(0, 3)).toEqual([...dependencyParts('prod', 'shop', src.input.dependencies!), revisionConfigMap(src.input), revisionDeployment(src.input, 1)]);
    expect(out.notes.join(' ')).toContain('1 installed package ships in 1 ConfigMap');
  });

  it('starts a function scaled to zero with one pod: scaling to zero is the gateway’s, which is not exported', async () => {
    const src = await source({ scale: { min: 0, max: 3, targetConcurrency: 10 } });
    const out = exportManifests(src, 'localhost/funcdeck/node:20');
    const dep = docs(out.text)[1] as { kind: string; spec: { replicas: number } };
    expect(dep.kind).toBe('Deployment');
    expect(dep.spec.replicas).toBe(1);
    expect(out.notes.join(' ')).toContain('runs 1 pod');
  });

  it('writes a document with characters YAML refuses or folds as escaped JSON, which reads back the same', async () => {
    const content = 'exports.main = () => "a\u0085b\u2028c\u007fd\ufeffe\u0001";\n';
    const src = await source({ files: [{ path: 'handler.js', content }] });
    const out = exportManifests(src, 'img');
    const cm = docs(out.text)[0] as { data: Record<string, string> };
    expect(cm.data['file-0']).toBe(content);
    expect(out.text).toContain('\\u2028');
  });
});

describe('export as a Knative Service', () => {
  it('fits Knative’s Service schema and names the revision it makes', async () => {
    const src = await source({ labels: { team: 'shop' }, annotations: { note: 'x' }, resources: { limits: { memory: '200Mi' } }, envFrom: [{ from: 'configMap', name: 'cfg', key: 'A' }], mounts: [{ from: 'secret', name: 'tls', path: '/etc/tls' }] });
    const out = exportKnative(src);
    const [cm, svc] = docs(out.text) as [Record<string, unknown>, Record<string, unknown>];
    expect(checkAgainst(knativeSchema, svc)).toEqual([]);
    expect(flaggedFields(knativeSchema, svc)).toEqual([]);
    expect(svc).toMatchObject({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'shop', namespace: 'prod', labels: { team: 'shop' } } });
    const spec = svc.spec as { template: { metadata: { name: string; annotations: Record<string, string> }; spec: { containers: Array<Record<string, unknown>>; volumes: Array<Record<string, unknown>> } }; traffic: unknown[] };
    expect(spec.template.metadata.name).toBe('shop-r4');
    expect(spec.template.metadata.annotations).toMatchObject({ note: 'x', 'autoscaling.knative.dev/min-scale': '1', 'autoscaling.knative.dev/max-scale': '1', 'autoscaling.knative.dev/target': '10' });
    expect(spec.traffic).toEqual([{ revisionName: 'shop-r4', percent: 100, tag: 'r4' }]);
    const c = spec.template.spec.containers[0]!;
    expect(c.ports).toEqual([{ name: 'http1', containerPort: 8080 }]);
    expect(c.readinessProbe).toBeUndefined();
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'FUNCDECK_MEMORY_LIMIT', value: String(200 * 1024 * 1024) }, { name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'A' } } }]));
    expect(spec.template.spec.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'src', configMap: expect.objectContaining({ name: 'shop-r4-src' }) }), { name: 'mount-0', secret: { secretName: 'tls' } }]));
    // The sources' ConfigMap is not labelled as a Funcdeck revision (no Funcdeck there owns it).
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'shop-r4-src', namespace: 'prod', labels: { team: 'shop', 'app.kubernetes.io/name': 'shop' } } });
    expect(JSON.stringify((cm as { metadata: unknown }).metadata)).not.toContain('funcdeck.dev');
    expect(out.notes).toContain('It reads ConfigMap cfg, Secret tls: create them in the target namespace first (values are never exported).');
  });

  it('carries weighted traffic, tags each revision and says what to apply first', async () => {
    const out = exportKnative(await source({}, [info(5, 10), info(4, 90), info(3, 0)], 4));
    const svc = docs(out.text)[1] as { spec: { traffic: unknown[] } };
    expect(svc.spec.traffic).toEqual([
      { revisionName: 'shop-r5', percent: 10, tag: 'r5' },
      { revisionName: 'shop-r4', percent: 90, tag: 'r4' },
    ]);
    expect(out.notes.join(' ')).toContain('Traffic also goes to r5 (10%): Knative makes a revision only from a template, so apply the export of that revision on the Knative cluster first');
    const old = exportKnative(await source({}, [info(5, 100), info(3, 0)], 3));
    expect((docs(old.text)[1] as { spec: { traffic: unknown[] } }).spec.traffic).toEqual([
      { revisionName: 'shop-r5', percent: 100, tag: 'r5' },
      { revisionName: 'shop-r3', percent: 0, tag: 'r3' },
    ]);
  });

  it('carries the installed packages as the deploy ships them, names the Knative feature that needs, and a timeout over Knative’s default maximum', async () => {
    const src = await withDeps(await source({ dependencies: '{"dependencies":{"left-pad":"1.3.0"}}', timeoutSeconds: 900 }));
    const out = exportKnative(src);
    const all = docs(out.text);
    const [part, , svc] = all as [Record<string, unknown>, unknown, Record<string, unknown>];
    expect(all).toHaveLength(3);
    // The archive's bytes, whole, in a ConfigMap the pod's projected volume names; not labelled as Funcdeck's.
    expect(part).toMatchObject({ kind: 'ConfigMap', immutable: true, metadata: { name: partName('shop', DIGEST, 0), namespace: 'prod' } });
    expect(Buffer.from((part.binaryData as Record<string, string>)[partKey(0)]!, 'base64')).toEqual(ARCHIVE);
    expect(JSON.stringify(part.metadata)).not.toContain('funcdeck.dev');
    expect(JSON.stringify(svc)).toContain(partName('shop', DIGEST, 0));
    expect(checkAgainst(knativeSchema, svc)).toEqual([]);
    const flags = [...new Set(flaggedFields(knativeSchema, svc).map((f) => f.flag))].sort();
    expect(flags).toEqual(['kubernetes.podspec-volumes-emptydir']);
    for (const flag of flags) expect(out.notes.join(' ')).toContain(flag);
    expect(out.notes.join(' ')).toContain('timeout of 900 s is above Knative');
  });

  it('leaves out live update, which is Funcdeck’s own: no live volume, mount or directory', async () => {
    const out = exportKnative(await source({}));
    const text = JSON.stringify(docs(out.text)[1]);
    expect(text).not.toContain('"live"');
    expect(text).not.toContain('FUNCDECK_LIVE_DIR');
  });

  it('the schema check itself finds unknown fields and wrong types', () => {
    expect(checkAgainst(knativeSchema, { apiVersion: 'serving.knative.dev/v1', kind: 'Service', spec: { template: { spec: { containers: [{ image: 1, bogus: true }] } } } })).toEqual([
      'spec.template.spec.containers[0].image: must be a string',
      'spec.template.spec.containers[0].bogus: unknown field',
    ]);
  });
});
