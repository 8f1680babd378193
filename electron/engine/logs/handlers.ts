import path from 'node:path';
import { FuncdeckError } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { CallHandlers, StreamHandlers } from '../handlers';
import type { ClusterTarget } from '../kube/access';
import { toFuncdeckError } from '../kube/errors';
import { apiConnection } from '../kube/api-connection';
import { targetDir } from '../invoke/local-files';
import { LogSession } from './session';
import { LogStore } from './store';

export interface LogsOptions {
  /** A stream without a byte for this long is replaced (tests shorten it). */
  idleMs?: number;
}

/** Following a function's logs across its pods, and the local log store. */
export function logsHandlers(
  ctx: EngineContext,
  opts: LogsOptions = {},
): {
  calls: Pick<CallHandlers, 'logs.query' | 'logs.clear'>;
  streams: Pick<StreamHandlers, 'logs.follow'>;
} {
  const stores = new Map<string, LogStore>();
  const sessions = new Map<string, { session: Promise<LogSession>; target: ClusterTarget }>();

  const storeFor = (t: { context: string; namespace: string }, fn: string) => {
    const dir = path.join(targetDir(ctx.options.dataDir, 'logs', t.context, t.namespace), fn);
    let s = stores.get(dir);
    if (!s) {
      s = new LogStore(dir);
      stores.set(dir, s);
    }
    return s;
  };

  async function sessionFor(target: ClusterTarget, fn: string, tailLines: number): Promise<LogSession> {
    const key = `${target.context}\0${target.namespace}\0${fn}`;
    const existing = sessions.get(key);
    if (existing && existing.target === target) {
      const s = await existing.session.catch(() => null);
      if (s && !s.signal.aborted) return s;
    }
    const created = apiConnection(target).then((conn) => new LogSession({ target, conn, store: storeFor(target, fn), fn, tailLines, signal: target.signal, idleMs: opts.idleMs }));
    const entry = { session: created, target };
    sessions.set(key, entry);
    created.then(
      (s) => void s.finished.then(() => sessions.get(key) === entry && sessions.delete(key)),
      () => sessions.get(key) === entry && sessions.delete(key),
    );
    return created;
  }

  ctx.onDispose(async () => {
    await Promise.allSettled([...sessions.values()].map(async (s) => (await s.session).stop()));
    await Promise.allSettled([...stores.values()].map((s) => s.flushed()));
  });

  return {
    calls: {
      'logs.query': async ({ function: fn, ...q }) => storeFor(ctx.clusters.target(), fn).query(q),
      'logs.clear': async ({ function: fn }) => ({ cleared: await storeFor(ctx.clusters.target(), fn).clear() }),
    },
    streams: {
      'logs.follow': async (params, sink) => {
        const target = ctx.clusters.target();
        const signal = AbortSignal.any([sink.signal, target.signal]);
        const session = await sessionFor(target, params.function, params.tailLines);
        let detach = () => {};
        try {
          detach = await session.attach({ revision: params.revision, deliver: (b) => sink.emit(b) }, params.tailLines);
          await new Promise<void>((resolve) => {
            if (signal.aborted) return resolve();
            signal.addEventListener('abort', () => resolve(), { once: true });
            void session.finished.then(() => resolve());
          });
        } finally {
          detach();
          // The last subscriber gone: stop following (the store has everything so far).
          if (session.subscriberCount === 0) await session.stop();
        }
        if (session.error && !signal.aborted) {
          throw session.error instanceof FuncdeckError ? session.error : toFuncdeckError(session.error, { verb: 'watch', resource: 'pods', namespace: target.namespace });
        }
      },
    },
  };
}
