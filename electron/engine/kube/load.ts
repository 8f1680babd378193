import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { FuncdeckError } from '../../../shared/contract';
import { execAuthenticator, withoutExec } from './credentials';

/**
 * Builds a client-node KubeConfig for one context from several kubeconfig files, merged as kubectl
 * does (the first file to define a name wins). Each file is loaded on its own first so that relative
 * certificate paths (and exec plugin commands, as kubectl does) resolve against that file's folder.
 * Throws CONTEXT_NOT_FOUND or KUBECONFIG_INVALID with a message saying which file to fix.
 */
export function loadKubeConfig(files: string[], contextName: string): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  const broken: string[] = [];
  for (const file of files) {
    const one = new KubeConfig();
    try {
      // 'filter' drops a bad entry instead of the whole file; readKubeconfig reports problems to the UI.
      one.loadFromFile(file, { onInvalidEntry: 'filter' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') broken.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const dir = path.dirname(file);
    for (const c of one.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.users) if (!users.has(u.name)) users.set(u.name, resolveExecCommand(u, dir));
    for (const c of one.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
  }
  const ctx = contexts.get(contextName);
  if (!ctx) {
    const hint = broken.length ? ` These files could not be read: ${broken.join('; ')}. Fix them, or` : '';
    throw new FuncdeckError('CONTEXT_NOT_FOUND', `Context "${contextName}" is not in your kubeconfig.${hint} Pick another context.`, { context: contextName, files });
  }
  if (!clusters.has(ctx.cluster)) {
    throw new FuncdeckError(
      'KUBECONFIG_INVALID',
      `Context "${contextName}" refers to cluster "${ctx.cluster}", which no kubeconfig file defines (or its entry has no server). Fix the context or add the cluster.`,
      { context: contextName },
    );
  }
  if (ctx.user && !users.has(ctx.user)) {
    throw new FuncdeckError(
      'KUBECONFIG_INVALID',
      `Context "${contextName}" refers to user "${ctx.user}", which no kubeconfig file defines. Fix the context or add the user's credentials.`,
      { context: contextName },
    );
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [...clusters.values()],
    // Exec plugins run only through ./credentials (deadline, process-group kill, shared cache).
    users: [...users.values()].map(withoutExec),
    contexts: [...contexts.values()],
    currentContext: contextName,
  });
  kc.addAuthenticator(execAuthenticator(kc));
  return kc;
}

/** kubectl runs a relative exec command that contains a slash relative to the kubeconfig's folder. */
function resolveExecCommand(user: User, dir: string): User {
  const exec = user.exec as { command?: string } | undefined;
  if (!exec?.command || path.isAbsolute(exec.command) || !exec.command.includes('/')) return user;
  return { ...user, exec: { ...exec, command: path.resolve(dir, exec.command) } };
}
