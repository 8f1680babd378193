import { KubeConfig } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract';

/**
 * Builds a client-node KubeConfig for one context from several kubeconfig files, merged as kubectl
 * does (the first file to define a name wins). Each file is loaded on its own first so that relative
 * certificate paths resolve against that file's folder.
 */
export function loadKubeConfig(files: string[], contextName: string): KubeConfig {
  const clusters = new Map<string, unknown>();
  const users = new Map<string, unknown>();
  const contexts = new Map<string, { name: string }>();
  for (const file of files) {
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch {
      continue; // readKubeconfig reports missing or malformed files to the UI
    }
    for (const c of one.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
  }
  if (!contexts.has(contextName)) {
    throw new FuncdeckError('CONTEXT_NOT_FOUND', `Context "${contextName}" is not in your kubeconfig any more. Pick another context.`);
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: contextName,
  });
  return kc;
}
