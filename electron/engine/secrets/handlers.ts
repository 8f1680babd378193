import type { EngineContext } from '../context';
import type { CallHandlers } from '../handlers';
import { deleteSecret, listTargets, revealValue, saveSecret } from './secrets';

type SecretCallNames = 'secrets.targets' | 'secrets.reveal' | 'secrets.save' | 'secrets.delete';

/** A function's Secrets in the current context and namespace (electron/engine/secrets). */
export function secretsHandlers(ctx: EngineContext): Pick<CallHandlers, SecretCallNames> {
  return {
    'secrets.targets': async (p) => {
      const t = ctx.clusters.target();
      return listTargets(t.kc, t.namespace, p.function);
    },
    'secrets.reveal': async (p) => {
      const t = ctx.clusters.target();
      return revealValue(t.kc, t.namespace, p.function, p.secret, p.key);
    },
    'secrets.save': async (p) => {
      const t = ctx.clusters.target();
      return saveSecret(t.kc, t.namespace, p.function, p.secret, p.entries);
    },
    'secrets.delete': async (p) => {
      const t = ctx.clusters.target();
      return { deleted: await deleteSecret(t.kc, t.namespace, p.function, p.secret) };
    },
  };
}
