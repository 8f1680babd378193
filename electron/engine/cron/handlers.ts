import type { EngineContext } from '../context';
import type { CallHandlers } from '../handlers';
import { cronStatus } from './runs';
import { runCronNow } from './run-now';

/** A function's cron trigger in the selected context and namespace: run it now, read its last runs. */
export function cronHandlers(ctx: EngineContext): { calls: Pick<CallHandlers, 'cron.status' | 'cron.runNow'> } {
  return {
    calls: {
      'cron.status': async ({ function: fn, limit }) => {
        const t = ctx.clusters.target();
        return cronStatus(t.kc, t.namespace, fn, limit);
      },
      'cron.runNow': async ({ function: fn }) => {
        const t = ctx.clusters.target();
        return { job: await runCronNow(t.kc, t.namespace, fn) };
      },
    },
  };
}
