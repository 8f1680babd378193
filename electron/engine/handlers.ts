import type { z } from 'zod';
import type { Calls, CallName, CallResult, Streams, StreamName, StreamEvent } from '../../shared/contract';

/** What a stream handler gets: a way to push events, and a signal that fires when the UI unsubscribes. */
export interface StreamSink<E> {
  emit(event: E): void;
  readonly signal: AbortSignal;
}

export type CallHandler<K extends CallName> = (params: z.output<Calls[K]['params']>) => Promise<CallResult<K>>;
/** Resolves when the stream ends by itself; rejects to end it with an error. Must stop when `signal` aborts. */
export type StreamHandler<K extends StreamName> = (
  params: z.output<Streams[K]['params']>,
  sink: StreamSink<StreamEvent<K>>,
) => Promise<void>;

export type CallHandlers = { [K in CallName]: CallHandler<K> };
export type StreamHandlers = { [K in StreamName]: StreamHandler<K> };

export interface Engine {
  calls: CallHandlers;
  streams: StreamHandlers;
  /** Ends every stream and watch the engine owns. */
  dispose(): Promise<void>;
}
