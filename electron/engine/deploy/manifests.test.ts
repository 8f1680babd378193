import { describe, expect, it } from 'vitest';
import { buildFunction } from '../build/build';
import { parseSpec } from '../functions/spec';
import { dependencyParts, partKey } from '../deps/delivery';
import { PART_BYTES } from '../deps/limits';
import { RUNTIMES } from '../runtimes/registry';
import { functionService, revisionConfigMap, revisionDeployment } from './manifests';

async function input(extra: Record<string, unknown>) {
  const spec = parseSpec({ name: 'fn', runtime: 'nodejs', handler: 'handler.main', ...extra }).spec!;
  const build = await buildFunction(spec, 'img:1');
  return { namespace: 'ns', spec, build, revision: 3, image: 'img:1', created: '2026-01-01T00:00:00Z' };
}

describe('revision manifests', () => {
  it('mount compiled TypeScript for the pod and keep the sources for diffing', async () => {
    const i = await input({ language: 'typescript', files: [{ path: 'handler.ts', content: 'export const main = (): number => 1;\n' }] });
    const cm = revisionConfigMap(i);
    expect(cm.metadata?.name).toBe('fn-r3');
    expect(cm.data?.['file-0']).toBe('export const main = (): number => 1;\n');
    expect(cm.data?.['build-0']).toMatch(/exports\.main/);
    expect(JSON.parse(cm.data!['spec.json']!).files).toEqual([{ path: 'handler.ts', key: 'file-0' }]);
    const d = revisionDeployment(i, 1);
    const src = (d.spec!.template.spec!.volumes as Array<{ name: string; configMap?: { items: unknown[] } }>).find((v) => v.name === 'src');
    expect(src?.configMap?.items).toEqual([{ key: 'build-0', path: 'handler.js' }]);
  });

  it('label the revision, probe readiness every second from the start, and size from the preset', async () => {
    const i = await input({ files: [{ path: 'handler.js', content: 'exports.main = () => 1;' }], size: 'M', env: [{ name: 'A', value: 'b' }] });
    const d = revisionDeployment(i, 2);
    const pod = d.spec!.template.spec!;
    const c = pod.containers[0]!;
    expect(d.spec!.replicas).toBe(2);
    expect(d.metadata!.labels).toMatchObject({ 'funcdeck.dev/function': 'fn', 'funcdeck.dev/revision': '3', 'app.kubernetes.io/managed-by': 'funcdeck' });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'metrics' }, periodSeconds: 1, initialDelaySeconds: 0 });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } });
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'A', value: 'b' }, { name: 'FUNCDECK_HANDLER', value: 'handler.main' }]));
    expect(pod.initContainers ?? []).toEqual([]);
  });

  it('ship every runtime server file, and end the runtime’s shutdown grace before the kubelet’s SIGKILL', async () => {
    const i = await input({ files: [{ path: 'handler.js', content: 'exports.main = () => 1;' }] });
    const files = Object.keys(RUNTIMES.nodejs.serverFiles);
    expect(files).toEqual(expect.arrayContaining(['server.cjs', 'worker-host.cjs', 'handler-worker.cjs']));
    expect(Object.keys(revisionConfigMap(i).data!)).toEqual(expect.arrayContaining(files));
    const pod = revisionDeployment(i, 1).spec!.template.spec!;
    const runtime = (pod.volumes as Array<{ name: string; configMap?: { items: Array<{ path: string }> } }>).find((v) => v.name === 'runtime');
    expect(runtime?.configMap?.items.map((it) => it.path).sort()).toEqual([...files].sort());
    const grace = Number(pod.containers[0]!.env!.find((e) => e.name === 'FUNCDECK_SHUTDOWN_GRACE_MS')?.value);
    expect(grace).toBeGreaterThan(0);
    expect(grace).toBeLessThanOrEqual((pod.terminationGracePeriodSeconds! - 5) * 1000);
  });

  it('never install in the pod: dependencies arrive as ConfigMap parts, unpacked into an emptyDir', async () => {
    const i = await input({ files: [{ path: 'handler.js', content: '' }], dependencies: '{"dependencies":{"ms":"2"}}' });
    const gz = Buffer.alloc(PART_BYTES + 10, 7);
    const dependencies = { digest: 'ab'.repeat(32), bytes: gz.length, unpackedBytes: 5, allocatedBytes: 4096, packages: [{ name: 'ms', version: '2.1.3' }], gz };
    const pod = revisionDeployment({ ...i, dependencies }, 1).spec!.template.spec!;
    expect(pod.initContainers ?? []).toEqual([]);
    const archive = (pod.volumes as Array<{ name: string; projected?: { sources: Array<{ configMap: { name: string } }> } }>).find((v) => v.name === 'deps-archive');
    const parts = dependencyParts('ns', 'fn', dependencies);
    expect(archive?.projected?.sources.map((s) => s.configMap.name)).toEqual(parts.map((p) => p.metadata!.name));
    expect(parts.map((p) => p.metadata!.name)).toEqual([`fn-deps-${'ab'.repeat(8)}-0`, `fn-deps-${'ab'.repeat(8)}-1`]);
    expect(Buffer.concat(parts.map((p, n) => Buffer.from((p as unknown as { binaryData: Record<string, string> }).binaryData[partKey(n)]!, 'base64')))).toEqual(gz);
    expect(pod.containers[0]!.env).toEqual(expect.arrayContaining([{ name: 'FUNCDECK_DEPS_DIGEST', value: dependencies.digest }]));
    expect(JSON.parse(revisionConfigMap({ ...i, dependencies }).data!['dependencies.json']!).packages).toEqual([{ name: 'ms', version: '2.1.3' }]);
    expect((revisionDeployment(i, 1).spec!.template.spec!.volumes as Array<{ name: string }>).map((v) => v.name)).not.toContain('deps-archive');
  }, 20_000);

  it('point the stable Service at the serving revision on a port named http', () => {
    const s = functionService('ns', 'fn', 4);
    expect(s.spec?.selector).toEqual({ 'funcdeck.dev/function': 'fn', 'funcdeck.dev/revision': '4' });
    expect(s.spec?.ports?.[0]).toMatchObject({ name: 'http', port: 80, targetPort: 'http' });
    expect(s.metadata?.annotations?.['funcdeck.dev/serving-revision']).toBe('4');
  });
});
