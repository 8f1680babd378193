import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKubeConfig } from '../../electron/engine/kube/load';
import type { KubeConfig } from '@kubernetes/client-node';

export interface TestCluster {
  kubeconfigPath: string;
  context: string;
  kc: KubeConfig;
  /** Runtime images to use: the dev cluster's local ones, or stock images on another cluster. */
  images: { nodejs: string; python: string };
  devCluster: boolean;
}

export function devClusterStateDir(env = process.env): string {
  return path.join(env.FUNCDECK_CACHE ?? path.join(os.homedir(), '.cache', 'funcdeck'), 'devcluster');
}

function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
  return out;
}

/**
 * The cluster integration and e2e tests run against: FUNCDECK_TEST_CONTEXT (with
 * FUNCDECK_TEST_KUBECONFIG, else ~/.kube/config) names any existing one, e.g. kind's; otherwise the
 * dev cluster that `npm run cluster:up` started. Never the user's current context by accident.
 */
export function testCluster(env = process.env): TestCluster {
  if (env.FUNCDECK_TEST_CONTEXT) {
    const kubeconfigPath = env.FUNCDECK_TEST_KUBECONFIG ?? path.join(os.homedir(), '.kube', 'config');
    return {
      kubeconfigPath,
      context: env.FUNCDECK_TEST_CONTEXT,
      kc: loadKubeConfig([kubeconfigPath], env.FUNCDECK_TEST_CONTEXT),
      images: {
        nodejs: env.FUNCDECK_IMAGE_NODE ?? 'node:22-alpine',
        python: env.FUNCDECK_IMAGE_PYTHON ?? 'python:3.12-alpine',
      },
      devCluster: false,
    };
  }
  const state = devClusterStateDir(env);
  const kubeconfigPath = path.join(state, 'kubeconfig');
  if (!fs.existsSync(kubeconfigPath)) {
    throw new Error(`No test cluster: ${kubeconfigPath} does not exist. Run "npm run cluster:up", or set FUNCDECK_TEST_CONTEXT to an existing context.`);
  }
  const images = readEnvFile(path.join(state, 'images.env'));
  return {
    kubeconfigPath,
    context: 'funcdeck-dev',
    kc: loadKubeConfig([kubeconfigPath], 'funcdeck-dev'),
    images: {
      nodejs: images.FUNCDECK_IMAGE_NODE ?? 'localhost/funcdeck/node:20',
      python: images.FUNCDECK_IMAGE_PYTHON ?? 'localhost/funcdeck/python:3.11',
    },
    devCluster: true,
  };
}
