import { describe, expect, it } from 'vitest';
import { buildFunction, revisionChecksum } from '../build/build';
import { parseSpec } from '../functions/spec';
import { objectMetadataOf } from './extras';
import { functionService, revisionConfigMap, revisionDeployment } from './manifests';

const files = [{ path: 'handler.js', content: 'exports.main = () => 1;' }];

async function input(extra: Record<string, unknown>) {
  const parsed = parseSpec({ name: 'fn', runtime: 'nodejs', handler: 'handler.main', files, ...extra });
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.issues));
  const spec = parsed.spec;
  const image = spec.image ?? 'img:1';
  const build = await buildFunction(spec, image);
  return { namespace: 'ns', spec, build, revision: 3, image, created: '2026-01-01T00:00:00Z' };
}

describe('manifests: the whole spec', () => {
  it("puts labels and annotations on the revision's objects and its pods, under Funcdeck's own, with selectors untouched", async () => {
    const i = await input({ labels: { team: 'payments', app: 'shop' }, annotations: { 'example.com/owner': 'ana' } });
    const d = revisionDeployment(i, 1);
    const cm = revisionConfigMap(i);
    for (const labels of [d.metadata!.labels!, d.spec!.template.metadata!.labels!, cm.metadata!.labels!]) {
      expect(labels).toMatchObject({ team: 'payments', app: 'shop', 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'fn', 'funcdeck.dev/revision': '3' });
    }
    expect(d.spec!.selector).toEqual({ matchLabels: { 'funcdeck.dev/function': 'fn', 'funcdeck.dev/revision': '3' } });
    expect(d.metadata!.annotations).toMatchObject({ 'example.com/owner': 'ana', 'funcdeck.dev/checksum': i.build.checksum });
    expect(d.spec!.template.metadata!.annotations).toMatchObject({ 'example.com/owner': 'ana' });
    expect(cm.metadata!.annotations).toMatchObject({ 'example.com/owner': 'ana' });
    // The Service carries the serving revision's labels; its selector stays Funcdeck's.
    const svc = functionService('ns', 'fn', 3, objectMetadataOf(d));
    expect(svc.metadata!.labels).toEqual({ team: 'payments', app: 'shop', 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'fn' });
    expect(svc.metadata!.annotations).toMatchObject({ 'example.com/owner': 'ana', 'funcdeck.dev/serving-revision': '3' });
    expect(svc.spec!.selector).toEqual({ 'funcdeck.dev/function': 'fn', 'funcdeck.dev/revision': '3' });
  });

  it("never lets a spec's key replace Funcdeck's labels, even past validation", async () => {
    const i = await input({});
    const forged = { ...i, spec: { ...i.spec, labels: { 'funcdeck.dev/revision': '1', 'app.kubernetes.io/managed-by': 'me', team: 'x' } } };
    const d = revisionDeployment(forged, 1);
    expect(d.metadata!.labels).toEqual({ team: 'x', 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'fn', 'funcdeck.dev/revision': '3', 'funcdeck.dev/runtime': 'nodejs' });
  });

  it('turns Secret and ConfigMap references into env, envFrom and read-only volumes', async () => {
    const i = await input({
      envFrom: [
        { from: 'secret', name: 'db', key: 'password', as: 'DB_PASSWORD' },
        { from: 'configMap', name: 'settings', key: 'LOG_LEVEL', optional: true },
        { from: 'secret', name: 'api-keys', prefix: 'API_' },
        { from: 'configMap', name: 'flags' },
      ],
      mounts: [
        { from: 'secret', name: 'tls', path: '/etc/tls' },
        { from: 'configMap', name: 'app-config', path: '/etc/app', optional: true },
      ],
    });
    const pod = revisionDeployment(i, 1).spec!.template.spec!;
    const c = pod.containers[0]!;
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LOG_LEVEL', optional: true } } },
      ]),
    );
    expect(c.envFrom).toEqual([{ prefix: 'API_', secretRef: { name: 'api-keys' } }, { configMapRef: { name: 'flags' } }]);
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'mount-0', secret: { secretName: 'tls' } },
        { name: 'mount-1', configMap: { name: 'app-config', optional: true } },
      ]),
    );
    expect(c.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'mount-0', mountPath: '/etc/tls', readOnly: true },
        { name: 'mount-1', mountPath: '/etc/app', readOnly: true },
      ]),
    );
    // Only references reach the revision's stored spec.
    expect(JSON.parse(revisionConfigMap(i).data!['spec.json']!).envFrom[0]).toEqual({ from: 'secret', name: 'db', key: 'password', as: 'DB_PASSWORD' });
  });

  it('gives the container exact resources over the preset, plus the memory its unpacked dependencies take', async () => {
    const i = await input({ size: 'M', resources: { requests: { memory: '128Mi' }, limits: { memory: '128Mi', cpu: '1500m' } } });
    const c = revisionDeployment(i, 1).spec!.template.spec!.containers[0]!;
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1500m', memory: '128Mi' } });
    // Dependencies unpack into a memory-backed volume (electron/engine/deps): 1 MiB of pages + 10% + 2 MiB on top.
    const withDeps = await input({ resources: { limits: { memory: '1G' } }, dependencies: '{"dependencies":{"left-pad":"1.3.0"}}' });
    const dependencies = { digest: 'ab'.repeat(32), bytes: 10, unpackedBytes: 2 ** 20, allocatedBytes: 2 ** 20, packages: [], gz: Buffer.alloc(10) };
    const pod = revisionDeployment({ ...withDeps, dependencies }, 1).spec!.template.spec!;
    expect(pod.initContainers ?? []).toEqual([]);
    expect(pod.containers[0]!.resources!.limits!.memory).toBe(`${Math.ceil(1e9 / 2 ** 20) + 4}Mi`);
  });

  it('runs on the spec’s own image, and a new image is a new revision', async () => {
    const i = await input({ image: 'registry.example.com/team/node:22' });
    const d = revisionDeployment(i, 1);
    expect(d.spec!.template.spec!.containers[0]!.image).toBe('registry.example.com/team/node:22');
    expect(d.metadata!.annotations!['funcdeck.dev/image']).toBe('registry.example.com/team/node:22');
    const plain = parseSpec({ name: 'fn', runtime: 'nodejs', handler: 'handler.main', files }).spec!;
    expect(revisionChecksum(plain, 'img:1')).not.toBe(i.build.checksum);
  });

  it('keeps the checksum a spec without extras had, whatever empty extras it carries', () => {
    const plain = parseSpec({ name: 'fn', runtime: 'nodejs', handler: 'handler.main', files }).spec!;
    const empty = parseSpec({ name: 'fn', runtime: 'nodejs', handler: 'handler.main', files, labels: {}, annotations: {}, envFrom: [], mounts: [], resources: { requests: {}, limits: {} } }).spec!;
    expect(revisionChecksum(empty, 'img:1')).toBe(revisionChecksum(plain, 'img:1'));
    expect(Object.keys(empty)).not.toContain('labels');
  });
});
