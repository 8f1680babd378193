import { z } from 'zod';
import { ErrorShape } from './errors';

/**
 * The wire protocol, identical over Electron IPC and the browser-mode WebSocket.
 * A call gets exactly one result; a subscription gets any number of events and then one end.
 * Ids are chosen by the client and are unique per connection.
 */
const Id = z.string().min(1).max(64);

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: Id, method: z.string().min(1).max(100), params: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id: Id, stream: z.string().min(1).max(100), params: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id: Id }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

// A plain union: two variants share type 'result' and differ by `ok`.
export const ServerMessage = z.union([
  z.object({ type: z.literal('result'), id: Id, ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: Id.or(z.literal('')), ok: z.literal(false), error: ErrorShape }),
  z.object({ type: z.literal('event'), id: Id, value: z.unknown() }),
  z.object({ type: z.literal('end'), id: Id, error: ErrorShape.optional() }),
]);
export type ServerMessage =
  | { type: 'result'; id: string; ok: true; value: unknown }
  | { type: 'result'; id: string; ok: false; error: ErrorShape }
  | { type: 'event'; id: string; value: unknown }
  | { type: 'end'; id: string; error?: ErrorShape };

/** Largest message either side accepts; larger ones are refused with BAD_REQUEST. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
