import { randomUUID } from 'node:crypto';
import { toErrorShape } from '../../../shared/contract';
import type { InvokeHistoryEntry, InvokeRequest } from '../../../shared/contract/invoke';
import { FuncdeckError } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { CallHandlers, StreamHandlers } from '../handlers';
import { apiConnection } from '../kube/api-connection';
import { createInvokeHistory, type FunctionKey } from './history';
import { ProgressHub } from './progress';
import { sendInvoke } from './send';

type InvokeCallNames =
  | 'invoke.send'
  | 'invoke.history'
  | 'invoke.history.clear'
  | 'invoke.saved.list'
  | 'invoke.saved.save'
  | 'invoke.saved.delete';

/** Invoking functions through the API server's service proxy, with a local history and saved requests. */
export function invokeHandlers(ctx: EngineContext): { calls: Pick<CallHandlers, InvokeCallNames>; streams: Pick<StreamHandlers, 'invoke.progress'> } {
  const history = createInvokeHistory(ctx.options.dataDir);
  const progress = new ProgressHub();
  const keyOf = (fn: string): FunctionKey => {
    const t = ctx.clusters.target();
    return { context: t.context, namespace: t.namespace, function: fn };
  };

  /** The answer matters more than its history entry: a full disk must not turn a call into an error. */
  const record = (key: FunctionKey, entry: InvokeHistoryEntry) => history.append(key, entry).catch(() => undefined);

  async function send({ progressKey, ...req }: InvokeRequest & { progressKey?: string | undefined }) {
    const reporter = progress.reporter(progressKey);
    try {
      return await sendAndRecord(req, reporter);
    } finally {
      reporter.end();
    }
  }

  async function sendAndRecord(req: InvokeRequest, reporter: ReturnType<ProgressHub['reporter']>) {
    const target = ctx.clusters.target();
    const key: FunctionKey = { context: target.context, namespace: target.namespace, function: req.function };
    const id = randomUUID();
    try {
      const conn = await apiConnection(target);
      const result = await sendInvoke(conn, target.namespace, req, { signal: target.signal, progress: reporter });
      await record(key, {
        id,
        invokedAt: result.invokedAt,
        request: req,
        summary: {
          status: result.status,
          statusText: result.statusText,
          sizeBytes: result.body.sizeBytes,
          requestId: result.requestId,
          revision: result.revision,
          totalMs: result.timing.totalMs,
          functionMs: result.timing.functionMs,
          error: null,
        },
      });
      return { ...result, historyId: id };
    } catch (e) {
      const entry: InvokeHistoryEntry = {
        id,
        invokedAt: new Date().toISOString(),
        request: req,
        // A cut streamed answer still names its status and request id (its log lines say why).
        summary: { ...cutDetails(e), statusText: null, sizeBytes: null, revision: null, totalMs: null, functionMs: null, error: toErrorShape(e) },
      };
      await record(key, entry);
      throw e;
    }
  }

  return {
    calls: {
      'invoke.send': send,
      'invoke.history': async ({ function: fn, limit }) => history.list(keyOf(fn), limit),
      'invoke.history.clear': async ({ function: fn }) => ({ cleared: await history.clear(keyOf(fn)) }),
      'invoke.saved.list': async ({ function: fn }) => history.savedList(keyOf(fn)),
      'invoke.saved.save': async ({ function: fn, name, request }) => history.savedSave(keyOf(fn), name, request),
      'invoke.saved.delete': async ({ function: fn, name }) => ({ deleted: await history.savedDelete(keyOf(fn), name) }),
    },
    streams: {
      'invoke.progress': ({ key }, sink) => progress.watch(key, (e) => sink.emit(e), sink.signal),
    },
  };
}

function cutDetails(e: unknown): { status: number | null; requestId: string | null } {
  const d = e instanceof FuncdeckError ? (e.details as { status?: unknown; requestId?: unknown; receivedBytes?: unknown } | undefined) : undefined;
  if (typeof d?.receivedBytes !== 'number') return { status: null, requestId: null };
  return { status: typeof d?.status === 'number' ? d.status : null, requestId: typeof d?.requestId === 'string' ? d.requestId : null };
}
