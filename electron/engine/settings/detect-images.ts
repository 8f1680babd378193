import fs from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeId, RuntimeImages } from '../../../shared/contract/settings';
import type { ClusterTarget } from '../kube/access';
import { kubeJson } from '../kube/http';
import type { EngineOptions } from '../options';

/**
 * Funcdeck's own runtime images, as the dev cluster builds them from this machine's node and python
 * and imports them into containerd (test/devcluster/images.sh): never pulled, so only usable where
 * they are already on the nodes.
 */
const LOCAL_IMAGE: Record<RuntimeId, RegExp> = {
  nodejs: /^localhost\/funcdeck\/node:([0-9][0-9.]*)$/,
  python: /^localhost\/funcdeck\/python:([0-9][0-9.]*)$/,
};

export interface NodeImages {
  status?: { images?: Array<{ names?: string[] }> };
}

export interface DetectedImages {
  images: Partial<RuntimeImages>;
  /** How it was found (or why nothing was), in words for Settings. */
  how: string;
  /** False when the cluster could not be asked; such an answer is not kept. */
  checked: boolean;
}

const byVersion = (a: string, b: string) => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
};

/** Funcdeck's local images present on every node (a pod may land on any), the newest tag per runtime. */
export function localImagesOnNodes(nodes: NodeImages[]): Partial<RuntimeImages> {
  const out: Partial<RuntimeImages> = {};
  if (!nodes.length) return out;
  for (const runtime of Object.keys(LOCAL_IMAGE) as RuntimeId[]) {
    const perNode = nodes.map((n) => {
      const tags = new Set<string>();
      for (const img of n.status?.images ?? []) for (const name of img.names ?? []) if (LOCAL_IMAGE[runtime].test(name)) tags.add(name);
      return tags;
    });
    const everywhere = [...perNode[0]!].filter((name) => perNode.every((tags) => tags.has(name)));
    const tagOf = (name: string) => LOCAL_IMAGE[runtime].exec(name)![1]!;
    const newest = everywhere.sort((a, b) => byVersion(tagOf(a), tagOf(b))).pop();
    if (newest) out[runtime] = newest;
  }
  return out;
}

/** The dev cluster's images.env (written by `npm run cluster:up`), read when its nodes cannot be listed. */
export async function devClusterImagesEnv(options: EngineOptions): Promise<Partial<RuntimeImages>> {
  const cache = options.env.FUNCDECK_CACHE ?? path.join(options.homeDir, '.cache', 'funcdeck');
  let text: string;
  try {
    text = await fs.readFile(path.join(cache, 'devcluster', 'images.env'), 'utf8');
  } catch {
    return {};
  }
  const value = (key: string) => new RegExp(`^${key}=(\\S+)\\s*$`, 'm').exec(text)?.[1];
  const out: Partial<RuntimeImages> = {};
  const node = value('FUNCDECK_IMAGE_NODE');
  const python = value('FUNCDECK_IMAGE_PYTHON');
  if (node && LOCAL_IMAGE.nodejs.test(node)) out.nodejs = node;
  if (python && LOCAL_IMAGE.python.test(python)) out.python = python;
  return out;
}

export interface DetectDeps {
  listNodes(target: ClusterTarget): Promise<NodeImages[]>;
  devClusterImages(): Promise<Partial<RuntimeImages>>;
}

export function defaultDetectDeps(options: EngineOptions): DetectDeps {
  return {
    async listNodes(target) {
      const list = await kubeJson<{ items?: NodeImages[] }>(target.kc, { path: '/api/v1/nodes', timeoutMs: 5000, signal: target.signal }, { verb: 'list', resource: 'nodes' });
      return list.items ?? [];
    },
    devClusterImages: () => devClusterImagesEnv(options),
  };
}

const describe = (images: Partial<RuntimeImages>) =>
  Object.values(images)
    .filter(Boolean)
    .join(' and ');

/**
 * Which runtime images a context's cluster calls for: Funcdeck's local images when its nodes hold them,
 * otherwise none (the defaults apply). The node list is the evidence; the dev cluster's flavor is the
 * fallback when nodes cannot be listed (no permission, or the cluster does not answer).
 */
export async function detectRuntimeImages(target: ClusterTarget, deps: DetectDeps): Promise<DetectedImages> {
  try {
    const images = localImagesOnNodes(await deps.listNodes(target));
    const found = describe(images);
    return found
      ? { images, how: `Found ${found} on this cluster's nodes.`, checked: true }
      : { images, how: "This cluster's nodes hold none of Funcdeck's local images, so the default images are used.", checked: true };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (target.flavor === 'funcdeck-dev') {
      const images = await deps.devClusterImages();
      if (describe(images)) {
        return { images, how: `Could not list the cluster's nodes (${why}); this is the dev cluster, so its local images ${describe(images)} are used.`, checked: false };
      }
    }
    return { images: {}, how: `Could not list the cluster's nodes to look for local images (${why}); the default images are used for now.`, checked: false };
  }
}
