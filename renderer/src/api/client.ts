import {
  calls,
  FuncdeckError,
  describeIssues,
  type CallName,
  type CallParams,
  type CallResult,
  type StreamName,
  type StreamParams,
  type StreamEvent,
} from '../../../shared/contract';
import type { Decoded } from './decode';
import type { ConnectionStatus, Transport } from './transport';

interface PendingCall {
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
 * The UI's only way to the engine. Params are validated before sending; every reply was parsed and
 * validated against the same contract by the transport's engine link (in a worker, off the main
 * thread) before it reaches a component. Subscriptions are re-sent after the connection comes back,
 * so streams resume on their own.
 */
export class EngineClient {
  private nextId = 1;
  private pending = new Map<string, PendingCall>();
  private subscriptions = new Map<string, Subscription>();
  private statusListeners = new Set<(status: ConnectionStatus) => void>();
  status: ConnectionStatus = 'connecting';

  constructor(private transport: Transport) {
    transport.onMessage((message) => this.receive(message));
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
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.transport.send({ type: 'call', id, method, params: checked.data });
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
    if (this.status === 'open') this.transport.send({ type: 'subscribe', id, stream, params });
    return () => {
      if (this.subscriptions.delete(id) && this.status === 'open') this.transport.send({ type: 'unsubscribe', id });
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
        this.transport.send({ type: 'subscribe', id, stream: sub.stream, params: sub.params });
      }
    }
    this.statusListeners.forEach((l) => l(status));
  }

  private receive(message: Decoded) {
    if (message.kind === 'invalid') return console.error(`Funcdeck: ${message.problem}`, ...(message.issues ? [message.issues] : []));
    if (message.kind === 'result') {
      const call = this.pending.get(message.id);
      if (!call) {
        if (!message.ok) console.error('Funcdeck engine error:', message.error.message);
        return;
      }
      this.pending.delete(message.id);
      return message.ok ? call.resolve(message.value) : call.reject(FuncdeckError.fromShape(message.error));
    }
    const sub = this.subscriptions.get(message.id);
    if (!sub) return;
    if (message.kind === 'event') return sub.onEvent(message.value);
    this.subscriptions.delete(message.id);
    sub.onEnd(message.error ? FuncdeckError.fromShape(message.error) : undefined);
  }
}
