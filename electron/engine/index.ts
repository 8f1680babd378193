import type { Engine } from './handlers';
import type { EngineContext } from './context';
import type { EngineOptions } from './options';
import { appHandlers } from './app/handlers';
import { clusterHandlers } from './clusters/handlers';
import { createClusterAccess } from './clusters/access';
import { createSettingsSource } from './settings/source';
import { settingsHandlers } from './settings/handlers';
import { depsHandlers } from './deps/handlers';
import { draftsHandlers } from './drafts/handlers';
import { eventsHandlers } from './events/handlers';
import { functionsHandlers } from './functions/handlers';
import { interopHandlers } from './interop/handlers';
import { invokeHandlers } from './invoke/handlers';
import { liveHandlers } from './live/handlers';
import { cronHandlers } from './cron/handlers';
import { logsHandlers } from './logs/handlers';
import { metricsHandlers } from './metrics/handlers';
import { workbenchHandlers } from './workbench/handlers';
import { secretsHandlers } from './secrets/handlers';

export type { Engine } from './handlers';
export { defaultEngineOptions, type EngineOptions } from './options';

/**
 * The engine: every capability as plain Node, reachable only through the contract's handlers.
 * It never imports electron, so it runs the same inside the Electron shell and under plain Node.
 * Each domain adds its handlers here with one line; domains share only the EngineContext.
 */
export function createEngine(options: EngineOptions): Engine {
  const disposers: Array<() => Promise<void> | void> = [];
  const clusters = createClusterAccess(options);
  const settings = createSettingsSource(options, clusters);
  const ctx: EngineContext = { options, clusters, settings, onDispose: (fn) => void disposers.push(fn) };
  void ctx;
  const functions = functionsHandlers(ctx);
  const invoke = invokeHandlers(ctx);
  const live = liveHandlers(ctx);
  const logs = logsHandlers(ctx);
  const metrics = metricsHandlers(ctx);
  const clusterDomain = clusterHandlers(options, clusters);
  const events = eventsHandlers(ctx);
  return {
    calls: {
      ...appHandlers(options),
      ...clusterDomain.calls,
      ...draftsHandlers(options),
      ...depsHandlers(ctx),
      ...events.calls,
      ...settingsHandlers(settings),
      ...functions.calls,
      ...invoke.calls,
      ...live.calls,
      ...cronHandlers(ctx).calls,
      ...logs.calls,
      ...metrics.calls,
      ...workbenchHandlers(options, ctx.onDispose),
      ...secretsHandlers(ctx),
      ...interopHandlers(ctx),
    },
    streams: {
      ...clusterDomain.streams,
      ...events.streams,
      ...functions.streams,
      ...invoke.streams,
      ...live.streams,
      ...logs.streams,
      ...metrics.streams,
    },
    async dispose() {
      clusters.clear();
      await Promise.allSettled(disposers.map((d) => d()));
    },
  };
}
