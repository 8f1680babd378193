import type { ClientMessage } from '../../../shared/contract';

/** What a decoder needs to know of an outgoing message (its params stay with the sender). */
export type Outgoing = Pick<ClientMessage, 'type' | 'id'> & { method?: string; stream?: string };

/** The id and target of a client message, without its params. (No contract code: the worker's first chunk stays small.) */
export function outgoing(m: ClientMessage): Outgoing {
  return m.type === 'call' ? { type: m.type, id: m.id, method: m.method } : m.type === 'subscribe' ? { type: m.type, id: m.id, stream: m.stream } : { type: m.type, id: m.id };
}
