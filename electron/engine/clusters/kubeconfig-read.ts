import fs from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { ClusterFlavor, KubeContext, KubeconfigProblem, KubeconfigState } from '../../../shared/contract';

/** The raw entries of all files merged kubectl-style (first definition of a name wins). */
export interface MergedKubeconfig {
  state: KubeconfigState;
  clusters: Map<string, Record<string, unknown>>;
  users: Map<string, Record<string, unknown>>;
  contexts: Map<string, { cluster: string; user: string; namespace?: string; file: string }>;
}

interface Named {
  name: string;
  [key: string]: unknown;
}

function namedList(value: unknown, key: string, file: string, problems: KubeconfigProblem[]): Named[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ file, message: `"${key}" must be a list; it was ignored.` });
    return [];
  }
  return value.filter((entry): entry is Named => {
    const ok = !!entry && typeof entry === 'object' && typeof (entry as Named).name === 'string';
    if (!ok) problems.push({ file, message: `An entry in "${key}" has no name; it was ignored.` });
    return ok;
  });
}

export function detectFlavor(contextName: string, clusterName: string, server: string | null): ClusterFlavor {
  const names = `${contextName} ${clusterName}`;
  if (/\bfuncdeck-dev\b/.test(names)) return 'funcdeck-dev';
  if (/(^|\s)kind-/.test(names)) return 'kind';
  if (/\bminikube\b/.test(names)) return 'minikube';
  if (server && /:8443$/.test(server) && /192\.168\.(49|58|59)\./.test(server)) return 'minikube';
  return 'other';
}

/** Reads and merges kubeconfig files. Missing or malformed files become problems, never exceptions. */
export async function readKubeconfig(files: string[]): Promise<MergedKubeconfig> {
  const problems: KubeconfigProblem[] = [];
  const loaded: string[] = [];
  const clusters = new Map<string, Record<string, unknown>>();
  const users = new Map<string, Record<string, unknown>>();
  const contexts = new Map<string, { cluster: string; user: string; namespace?: string; file: string }>();
  let current: string | null = null;

  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // kubectl silently skips missing KUBECONFIG entries; we note them so the UI can say why nothing shows.
      problems.push({
        file,
        message: code === 'ENOENT' ? 'File not found.' : `Cannot read the file (${code ?? (e as Error).message}). Check its permissions.`,
      });
      continue;
    }
    let doc: unknown;
    try {
      doc = text.trim() === '' ? {} : parseYaml(text);
    } catch (e) {
      const detail = (e as Error).message.split('\n')[0];
      problems.push({ file, message: `Not valid YAML: ${detail}. Fix the file or remove it from KUBECONFIG.` });
      continue;
    }
    if (doc === null || doc === undefined) doc = {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ file, message: 'Not a kubeconfig: the file must hold a YAML mapping with clusters, users and contexts.' });
      continue;
    }
    const config = doc as Record<string, unknown>;
    loaded.push(file);
    for (const c of namedList(config.clusters, 'clusters', file, problems)) {
      if (!clusters.has(c.name)) clusters.set(c.name, (c.cluster as Record<string, unknown>) ?? {});
    }
    for (const u of namedList(config.users, 'users', file, problems)) {
      if (!users.has(u.name)) users.set(u.name, (u.user as Record<string, unknown>) ?? {});
    }
    for (const c of namedList(config.contexts, 'contexts', file, problems)) {
      if (contexts.has(c.name)) continue;
      const ctx = (c.context ?? {}) as Record<string, unknown>;
      contexts.set(c.name, {
        cluster: typeof ctx.cluster === 'string' ? ctx.cluster : '',
        user: typeof ctx.user === 'string' ? ctx.user : '',
        namespace: typeof ctx.namespace === 'string' ? ctx.namespace : undefined,
        file,
      });
    }
    if (current === null && typeof config['current-context'] === 'string' && config['current-context']) {
      current = config['current-context'];
    }
  }

  const list: KubeContext[] = [...contexts.entries()].map(([name, ctx]) => {
    const server = typeof clusters.get(ctx.cluster)?.server === 'string' ? (clusters.get(ctx.cluster)!.server as string) : null;
    return {
      name,
      cluster: ctx.cluster,
      user: ctx.user,
      server,
      namespace: ctx.namespace ?? null,
      flavor: detectFlavor(name, ctx.cluster, server),
      file: ctx.file,
    };
  });
  if (current !== null && !contexts.has(current)) {
    problems.push({ file: files[0] ?? '', message: `current-context "${current}" is not defined in any file.` });
  }
  return { state: { files, loaded, problems, contexts: list, current }, clusters, users, contexts };
}
