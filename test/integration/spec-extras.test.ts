import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devClusterStateDir } from '../support/cluster-target';
import { apps } from './support-observe';
import { cluster, core, createNamespace, deleteNamespace, eventually, harness, invokeUntilReady, nodeSpec, type FunctionsHarness } from './support-functions';

/**
 * The whole spec on the dev cluster: labels and annotations on every object of the function with
 * its selectors and routing intact, exact resources on the pod, and a custom image per function.
 */
const run = promisify(execFile);
let ns: string;
let h: FunctionsHarness;

beforeAll(async () => {
  ns = await createNamespace('extras');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

const HANDLER = `exports.main = () => ({ node: process.version, mem: process.env.FUNCDECK_MEMORY_LIMIT });`;

describe('labels, annotations and exact resources', () => {
  it('reach the Deployment, its pods, the revision ConfigMap and the Service, and the function still answers', async () => {
    const spec = nodeSpec('labelled', HANDLER, {
      labels: { team: 'payments', 'example.com/tier': 'web' },
      annotations: { 'example.com/owner': 'ana@example.com' },
      resources: { requests: { memory: '100Mi', cpu: '20m' }, limits: { memory: '100Mi', cpu: '300m' } },
    });
    const r = await h.call('functions.deploy', { spec, wait: true });
    expect(r.ready).toBe(true);
    const answer = await invokeUntilReady(ns, 'labelled', r.revision);
    // The runtime sees the exact limit in bytes.
    expect(JSON.parse(answer.text).mem).toBe(String(100 * 1024 * 1024));

    const want = { team: 'payments', 'example.com/tier': 'web', 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'labelled' };
    const dep = await apps.readNamespacedDeployment({ name: `labelled-r${r.revision}`, namespace: ns });
    const cm = await core.readNamespacedConfigMap({ name: `labelled-r${r.revision}`, namespace: ns });
    const svc = await core.readNamespacedService({ name: 'labelled', namespace: ns });
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'team=payments,funcdeck.dev/function=labelled' });
    for (const labels of [dep.metadata?.labels, cm.metadata?.labels, svc.metadata?.labels, pods.items[0]?.metadata?.labels]) expect(labels).toMatchObject(want);
    for (const annotations of [dep.metadata?.annotations, cm.metadata?.annotations, svc.metadata?.annotations, pods.items[0]?.metadata?.annotations]) {
      expect(annotations).toMatchObject({ 'example.com/owner': 'ana@example.com' });
    }
    expect(dep.spec?.selector?.matchLabels).toEqual({ 'funcdeck.dev/function': 'labelled', 'funcdeck.dev/revision': String(r.revision) });
    expect(svc.spec?.selector).toEqual({ 'funcdeck.dev/function': 'labelled', 'funcdeck.dev/revision': String(r.revision) });
    expect(pods.items[0]?.spec?.containers[0]?.resources).toEqual({ requests: { cpu: '20m', memory: '100Mi' }, limits: { cpu: '300m', memory: '100Mi' } });
    // The function is listed and summarized as before.
    await eventually(async () => expect((await h.call('functions.list', {})).find((f) => f.name === 'labelled')?.status).toBe('Ready'));
  });

  it('a refused key changes nothing in the cluster', async () => {
    await expect(h.call('functions.deploy', { spec: nodeSpec('refused', HANDLER, { labels: { 'funcdeck.dev/revision': '7' } }), wait: false })).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringContaining(`"funcdeck.dev/revision" is Funcdeck's own label`),
    });
    expect((await apps.listNamespacedDeployment({ namespace: ns, labelSelector: 'funcdeck.dev/function=refused' })).items).toEqual([]);
  });
});

describe('a custom image per function', () => {
  const tag = `localhost/funcdeck-test/custom-node:${Math.random().toString(36).slice(2, 8)}`;
  const ctr = () => {
    const versions = fs.readFileSync(path.join(import.meta.dirname, '../devcluster/versions.env'), 'utf8');
    const version = /^CONTAINERD_VERSION=(\S+)/m.exec(versions)?.[1];
    const state = devClusterStateDir();
    return { bin: path.join(path.dirname(state), 'bin', `containerd-${version}`, 'ctr'), address: path.join(state, 'run', 'containerd', 'containerd.sock') };
  };
  const ctrRun = (...args: string[]) => run(ctr().bin, ['--address', ctr().address, '-n', 'k8s.io', ...args], { timeout: 30_000 });
  let tagged = false;

  afterAll(async () => {
    if (tagged) await ctrRun('images', 'rm', tag).catch(() => undefined);
  });

  it.skipIf(!cluster.devCluster)('runs the function on its own image (the node image under another tag)', async () => {
    await ctrRun('images', 'tag', cluster.images.nodejs, tag);
    tagged = true;
    const r = await h.call('functions.deploy', { spec: nodeSpec('custom-image', HANDLER, { image: tag }), wait: true });
    expect(r.ready).toBe(true);
    const answer = await invokeUntilReady(ns, 'custom-image', r.revision);
    expect(JSON.parse(answer.text).node).toMatch(/^v\d+/);
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'funcdeck.dev/function=custom-image' });
    expect(pods.items[0]?.spec?.containers[0]?.image).toBe(tag);
    const revisions = await h.call('revisions.list', { name: 'custom-image' });
    expect(revisions.revisions[0]?.image).toBe(tag);
  });

  it('an image the cluster cannot get fails the deploy saying so, and a bad reference is refused before anything is written', async () => {
    await expect(h.call('functions.deploy', { spec: nodeSpec('bad-ref', HANDLER, { image: 'Not An Image' }) })).rejects.toMatchObject({ code: 'INVALID_SPEC', message: expect.stringContaining('image') });
    await expect(h.call('functions.deploy', { spec: nodeSpec('no-such-image', HANDLER, { image: 'localhost/funcdeck-test/none:0' }), wait: true })).rejects.toMatchObject({
      code: 'DEPLOY_FAILED',
      message: expect.stringMatching(/image/i),
    });
  });
});
