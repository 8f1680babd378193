import {
  calls,
  streams,
  ServerMessage,
  FuncdeckError,
  describeIssues,
  type CallName,
  type CallParams,
  type CallResult,
  type StreamName,
  type StreamParams,
  type StreamEvent,
} from '../../../shared/contract';
import type { ConnectionStatus, Transport } from './transport';

interface PendingCall {
  method: CallName;
  resolve(value: unknown): void;
  reject(error: FuncdeckError): void;
}

interface Subscription {
  stream: StreamName;
  params: unknown;
  onEvent(event: unknown): void;
  onEnd(error?: FuncdeckError): void;
}

export interface StreamHandlers<E> {
  onEvent(event: E): void;
  /** The engine ended the stream (with an error when it failed). Not called after unsubscribe. */
  onEnd?(error?: FuncdeckError): void;
}

/**
 * The UI's only way to the engine. Params are validated before sending and every reply is validated
 * against the same contract before it reaches a component. Subscriptions are re-sent after the
 * connection comes back, so streams resume on their own.
 */
export class EngineClient {
  private nextId = 1;
  private pending = new Map<string, PendingCall>();
  private subscriptions = new Map<string, Subscription>();
  private statusListeners = new Set<(status: ConnectionStatus) => void>();
  status: ConnectionStatus = 'connecting';

  constructor(private transport: Transport) {
    transport.onMessage((text) => this.receive(text));
    transport.onStatus((status) => this.setStatus(status));
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  call<K extends CallName>(method: K, params: CallParams<K>): Promise<CallResult<K>> {
    const checked = calls[method].params.safeParse(params);
    if (!checked.success) {
      return Promise.reject(new FuncdeckError('BAD_REQUEST', describeIssues(checked.error).join('; ')));
    }
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      this.transport.send(JSON.stringify({ type: 'call', id, method, params: checked.data }));
    });
  }

  subscribe<K extends StreamName>(stream: K, params: StreamParams<K>, handlers: StreamHandlers<StreamEvent<K>>): () => void {
    const id = `s${this.nextId++}`;
    this.subscriptions.set(id, {
      stream,
      params,
      onEvent: handlers.onEvent as (e: unknown) => void,
      onEnd: (error) => handlers.onEnd?.(error),
    });
    // Only while open: on opening, every subscription is sent (again) by setStatus, and a second
    // subscribe with the same id makes the engine end the stream.
    if (this.status === 'open') this.transport.send(JSON.stringify({ type: 'subscribe', id, stream, params }));
    return () => {
      if (this.subscriptions.delete(id) && this.status === 'open') this.transport.send(JSON.stringify({ type: 'unsubscribe', id }));
    };
  }

  private setStatus(status: ConnectionStatus) {
    const wasOpen = this.status === 'open';
    this.status = status;
    if (status === 'closed' && wasOpen) {
      for (const [id, call] of this.pending) {
        call.reject(new FuncdeckError('CANCELLED', 'Lost the connection to the engine before it answered. Try again.'));
        this.pending.delete(id);
      }
    }
    if (status === 'open' && !wasOpen) {
      for (const [id, sub] of this.subscriptions) {
        this.transport.send(JSON.stringify({ type: 'subscribe', id, stream: sub.stream, params: sub.params }));
      }
    }
    this.statusListeners.forEach((l) => l(status));
  }

  private receive(text: string) {
    let message: ServerMessage;
    try {
      const parsed = ServerMessage.safeParse(JSON.parse(text));
      if (!parsed.success) return console.error('Funcdeck: malformed message from engine', describeIssues(parsed.error));
      message = parsed.data as ServerMessage;
    } catch {
      return console.error('Funcdeck: engine sent invalid JSON');
    }
    if (message.type === 'result') {
      const call = this.pending.get(message.id);
      if (!call) {
        if (!message.ok) console.error('Funcdeck engine error:', message.error.message);
        return;
      }
      this.pending.delete(message.id);
      if (!message.ok) return call.reject(FuncdeckError.fromShape(message.error));
      const checked = calls[call.method].result.safeParse(message.value);
      if (!checked.success) {
        return call.reject(new FuncdeckError('INTERNAL', `Engine reply for ${call.method} did not match the contract: ${describeIssues(checked.error).join('; ')}`));
      }
      return call.resolve(checked.data);
    }
    const sub = this.subscriptions.get(message.id);
    if (!sub) return;
    if (message.type === 'event') {
      const checked = (streams[sub.stream] as { event: import('zod').ZodType }).event.safeParse(message.value);
      if (checked.success) sub.onEvent(checked.data);
      else console.error(`Funcdeck: malformed ${sub.stream} event`, describeIssues(checked.error));
      return;
    }
    this.subscriptions.delete(message.id);
    sub.onEnd(message.error ? FuncdeckError.fromShape(message.error) : undefined);
  }
}
