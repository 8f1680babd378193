import type { ClientMessage } from '../../../shared/contract';
import { MessageDecoder, type Decoded, type Outgoing } from './decode';

/** From the page to the link. */
export type ToLink =
  /** A message the page sent: the link learns which call or stream its id belongs to. */
  | { type: 'track'; message: Outgoing }
  /** A raw message from the engine (WebSocket or Electron preload), to parse and validate. */
  | { type: 'incoming'; text: string }
  /** The connection closed after it was open: calls sent on it will not be answered. */
  | { type: 'lost' }
  /** Taking over from another link: what that one knew (pending calls, open subscriptions). */
  | { type: 'reset'; tracked: Outgoing[] };

/** From the link to the page. */
export type FromLink = { type: 'ready' } | { type: 'message'; message: Decoded };

/** The id and target of a client message, without its params (all the decoder needs). */
export function outgoing(m: ClientMessage): Outgoing {
  return m.type === 'call' ? { type: m.type, id: m.id, method: m.method } : m.type === 'subscribe' ? { type: m.type, id: m.id, stream: m.stream } : { type: m.type, id: m.id };
}

/**
 * The engine side of the page's connection: parses every engine message and validates it against
 * the contract, and hands the page plain, checked data (see MessageDecoder). It runs in a worker so
 * that a flood of log lines is parsed off the page's main thread.
 */
export function engineLink(post: (m: FromLink) => void): { handle(m: ToLink): void; tracked(): Outgoing[] } {
  const decoder = new MessageDecoder();
  return {
    handle(m) {
      if (m.type === 'track') decoder.track(m.message);
      else if (m.type === 'lost') decoder.connectionLost();
      else if (m.type === 'reset') decoder.reset(m.tracked);
      else {
        const message = decoder.decode(m.text);
        if (message) post({ type: 'message', message });
      }
    },
    tracked: () => decoder.tracked(),
  };
}
