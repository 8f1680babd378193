import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ClusterTarget } from '../kube/access';
import { detectRuntimeImages, devClusterImagesEnv, localImagesOnNodes, type NodeImages } from './detect-images';

const node = (...names: string[][]): NodeImages => ({ status: { images: names.map((n) => ({ names: n })) } });
const target = (flavor: ClusterTarget['flavor']): ClusterTarget => ({ context: 'c', namespace: 'default', flavor, kc: {} as KubeConfig, signal: new AbortController().signal });

describe('local runtime images on the nodes', () => {
  it("finds the dev cluster's images, the newest tag present on every node", () => {
    const a = node(['localhost/funcdeck/node:20'], ['localhost/funcdeck/node:22'], ['localhost/funcdeck/python:3.11', 'localhost/funcdeck/python@sha256:ab'], ['localhost/funcdeck/pause:3.10.2']);
    const b = node(['localhost/funcdeck/node:20', 'localhost/funcdeck/node:22'], ['localhost/funcdeck/python:3.11']);
    expect(localImagesOnNodes([a, b])).toEqual({ nodejs: 'localhost/funcdeck/node:22', python: 'localhost/funcdeck/python:3.11' });
    // 3.9 < 3.11 as versions, not as text
    expect(localImagesOnNodes([node(['localhost/funcdeck/python:3.9'], ['localhost/funcdeck/python:3.11'])])).toEqual({ python: 'localhost/funcdeck/python:3.11' });
  });

  it('finds nothing on stock clusters, or when only some nodes hold the image', () => {
    expect(localImagesOnNodes([node(['docker.io/library/node:22-alpine'], ['registry.k8s.io/pause:3.10'])])).toEqual({});
    expect(localImagesOnNodes([node(['localhost/funcdeck/node:20']), node(['node:22-alpine'])])).toEqual({});
    expect(localImagesOnNodes([])).toEqual({});
  });
});

describe('detectRuntimeImages', () => {
  const devImages = async () => ({ nodejs: 'localhost/funcdeck/node:20', python: 'localhost/funcdeck/python:3.11' });

  it('reports what the node list shows', async () => {
    const found = await detectRuntimeImages(target('other'), { listNodes: async () => [node(['localhost/funcdeck/node:20'])], devClusterImages: async () => ({}) });
    expect(found).toEqual({ images: { nodejs: 'localhost/funcdeck/node:20' }, how: "Found localhost/funcdeck/node:20 on this cluster's nodes.", checked: true });
    const none = await detectRuntimeImages(target('kind'), { listNodes: async () => [node(['node:22-alpine'])], devClusterImages: devImages });
    expect(none).toMatchObject({ images: {}, checked: true, how: expect.stringMatching(/none of Funcdeck's local images/) });
  });

  it("falls back on the dev cluster's flavor when its nodes cannot be listed, and on the defaults elsewhere", async () => {
    const forbidden = async () => {
      throw new Error('You may not list nodes.');
    };
    expect(await detectRuntimeImages(target('funcdeck-dev'), { listNodes: forbidden, devClusterImages: devImages })).toEqual({
      images: await devImages(),
      checked: false,
      how: expect.stringMatching(/^Could not list the cluster's nodes \(You may not list nodes\.\); this is the dev cluster/),
    });
    expect(await detectRuntimeImages(target('minikube'), { listNodes: forbidden, devClusterImages: devImages })).toEqual({
      images: {},
      checked: false,
      how: expect.stringMatching(/You may not list nodes.*default images/),
    });
  });

  it("reads the dev cluster's images.env, accepting only its local image names", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-detect-'));
    const opts = { mode: 'web' as const, version: 't', env: {}, homeDir: home, dataDir: home };
    expect(await devClusterImagesEnv(opts)).toEqual({});
    await fs.mkdir(path.join(home, '.cache', 'funcdeck', 'devcluster'), { recursive: true });
    await fs.writeFile(path.join(home, '.cache', 'funcdeck', 'devcluster', 'images.env'), '# x\nFUNCDECK_IMAGE_NODE=localhost/funcdeck/node:20\nFUNCDECK_IMAGE_PYTHON=evil.example/python:1\n');
    expect(await devClusterImagesEnv(opts)).toEqual({ nodejs: 'localhost/funcdeck/node:20' });
  });
});
