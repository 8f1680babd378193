import {
  calls,
  streams,
  isCallName,
  isStreamName,
  ClientMessage,
  MAX_MESSAGE_BYTES,
  FuncdeckError,
  describeIssues,
  toErrorShape,
  type ErrorShape,
  type ServerMessage,
} from '../../shared/contract';
import type { ZodType } from 'zod';
import type { Engine } from '../engine/handlers';

export interface Session {
  /** Feed one raw message (a JSON string from a socket or IPC). Never throws. */
  receive(raw: unknown): Promise<void>;
  /** Ends every subscription of this connection. */
  close(): void;
  readonly activeStreams: number;
}

/**
 * Validates params; a schema that throws instead of answering (a refinement that overflows the
 * stack on absurdly deep input) still gets an answer: BAD_REQUEST for depth, INTERNAL otherwise.
 */
function checkParams(schema: ZodType, raw: unknown): ReturnType<ZodType['safeParse']> | { thrown: ErrorShape } {
  try {
    return schema.safeParse(raw ?? {});
  } catch (e) {
    if (e instanceof RangeError) return { thrown: { code: 'BAD_REQUEST', message: 'they are nested too deeply to check. Send flatter data.' } };
    return { thrown: toErrorShape(e) };
  }
}

/**
 * One connection's view of the engine: validates every incoming message and its params against the
 * contract, routes it, validates what the engine returns, and owns the connection's subscriptions.
 * Both adapters (Electron IPC, browser-mode WebSocket) are thin wrappers around this.
 */
export function openSession(engine: Engine, send: (message: ServerMessage) => void): Session {
  const subscriptions = new Map<string, AbortController>();
  let closed = false;

  const safeSend = (message: ServerMessage) => {
    if (!closed) send(message);
  };
  const fail = (id: string, error: ErrorShape) => safeSend({ type: 'result', id, ok: false, error });

  async function receive(raw: unknown): Promise<void> {
    let data: unknown = raw;
    if (typeof raw === 'string') {
      if (raw.length > MAX_MESSAGE_BYTES) {
        return fail('', { code: 'BAD_REQUEST', message: 'Message too large; the engine accepts at most 64 MB per message.' });
      }
      try {
        data = JSON.parse(raw);
      } catch {
        return fail('', { code: 'BAD_REQUEST', message: 'Message is not valid JSON; it was ignored.' });
      }
    }
    const parsed = ClientMessage.safeParse(data);
    if (!parsed.success) {
      const id = data && typeof data === 'object' && 'id' in data && typeof data.id === 'string' ? data.id.slice(0, 64) : '';
      return fail(id, {
        code: 'BAD_REQUEST',
        message: `Malformed message: ${describeIssues(parsed.error).join('; ')}`,
      });
    }
    const message = parsed.data;
    switch (message.type) {
      case 'call':
        return handleCall(message.id, message.method, message.params);
      case 'subscribe':
        return handleSubscribe(message.id, message.stream, message.params);
      case 'unsubscribe':
        subscriptions.get(message.id)?.abort();
        return;
    }
  }

  async function handleCall(id: string, method: string, rawParams: unknown) {
    if (!isCallName(method)) {
      return fail(id, { code: 'UNKNOWN_METHOD', message: `The engine has no call named "${method}". The UI and engine versions may differ; restart Funcdeck.` });
    }
    const def = calls[method];
    const params = checkParams(def.params, rawParams);
    if ('thrown' in params) return fail(id, { ...params.thrown, message: `Invalid parameters for ${method}: ${params.thrown.message}` });
    if (!params.success) {
      return fail(id, { code: 'BAD_REQUEST', message: `Invalid parameters for ${method}: ${describeIssues(params.error).join('; ')}`, details: params.error.issues });
    }
    try {
      const handler = engine.calls[method] as (p: unknown) => Promise<unknown>;
      const value = await handler(params.data);
      const checked = def.result.safeParse(value);
      if (!checked.success) {
        throw new FuncdeckError('INTERNAL', `The engine returned a malformed result for ${method} (${describeIssues(checked.error).join('; ')}). This is a bug in Funcdeck.`);
      }
      safeSend({ type: 'result', id, ok: true, value: checked.data });
    } catch (e) {
      fail(id, toErrorShape(e));
    }
  }

  async function handleSubscribe(id: string, name: string, rawParams: unknown) {
    if (!isStreamName(name)) {
      return safeSend({ type: 'end', id, error: { code: 'UNKNOWN_METHOD', message: `The engine has no stream named "${name}". Restart Funcdeck.` } });
    }
    if (subscriptions.has(id)) {
      return safeSend({ type: 'end', id, error: { code: 'BAD_REQUEST', message: `Subscription id ${id} is already in use.` } });
    }
    const def = streams[name] as { params: ZodType; event: ZodType };
    const params = checkParams(def.params, rawParams);
    if ('thrown' in params) return safeSend({ type: 'end', id, error: { ...params.thrown, message: `Invalid parameters for ${name}: ${params.thrown.message}` } });
    if (!params.success) {
      return safeSend({ type: 'end', id, error: { code: 'BAD_REQUEST', message: `Invalid parameters for ${name}: ${describeIssues(params.error).join('; ')}` } });
    }
    const controller = new AbortController();
    subscriptions.set(id, controller);
    const handler = engine.streams[name] as (p: unknown, sink: { emit(e: unknown): void; signal: AbortSignal }) => Promise<void>;
    let error: ErrorShape | undefined;
    try {
      await handler(params.data, {
        signal: controller.signal,
        emit(event) {
          if (controller.signal.aborted) return;
          const checked = def.event.safeParse(event);
          if (!checked.success) throw new FuncdeckError('INTERNAL', `The engine emitted a malformed ${name} event. This is a bug in Funcdeck.`);
          safeSend({ type: 'event', id, value: checked.data });
        },
      });
    } catch (e) {
      if (!controller.signal.aborted) error = toErrorShape(e);
    } finally {
      subscriptions.delete(id);
      controller.abort();
    }
    safeSend(error ? { type: 'end', id, error } : { type: 'end', id });
  }

  return {
    receive: (raw) => receive(raw).catch(() => undefined),
    close() {
      closed = true;
      for (const controller of subscriptions.values()) controller.abort();
      subscriptions.clear();
    },
    get activeStreams() {
      return subscriptions.size;
    },
  };
}
