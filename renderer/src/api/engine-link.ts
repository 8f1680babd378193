import type { ClientMessage } from '../../../shared/contract';
import { MessageDecoder, type Decoded, type Outgoing } from './decode';
import { socketLink, type ConnectionStatus, type SocketLike } from './socket-link';

/** From the page to the link (in a worker, or inline where no worker can run). */
export type ToLink =
  /** Browser mode: the link opens the engine's WebSocket itself. */
  | { type: 'connect'; url: string }
  /** Browser mode: a message for the engine, sent over the link's socket. */
  | { type: 'send'; message: ClientMessage }
  /** Electron: the page sent this through the preload; the link only learns what to expect. */
  | { type: 'track'; message: Outgoing }
  /** Electron: a raw message from the preload, to decode. */
  | { type: 'incoming'; text: string };

/** From the link to the page. */
export type FromLink = { type: 'ready' } | { type: 'status'; status: ConnectionStatus } | { type: 'message'; message: Decoded };

/** The id and target of a client message, without its params (all the decoder needs). */
export function outgoing(m: ClientMessage): Outgoing {
  return m.type === 'call' ? { type: m.type, id: m.id, method: m.method } : m.type === 'subscribe' ? { type: m.type, id: m.id, stream: m.stream } : { type: m.type, id: m.id };
}

/**
 * The engine side of the page's connection: owns the socket in browser mode, parses every message
 * and validates it against the contract, and hands the page plain, checked data. Run in a worker so
 * a flood of log lines is parsed off the page's main thread.
 */
export function engineLink(post: (m: FromLink) => void, openSocket?: (url: string) => SocketLike): (m: ToLink) => void {
  const decoder = new MessageDecoder();
  let socket: { send(text: string): void } | null = null;
  const early: string[] = [];
  let wasOpen = false;

  const receive = (text: string) => {
    const message = decoder.decode(text);
    if (message) post({ type: 'message', message });
  };
  const status = (s: ConnectionStatus) => {
    // Same rule as the client: calls sent on a connection that was open are rejected when it closes.
    if (s === 'closed' && wasOpen) decoder.connectionLost();
    wasOpen = s === 'open';
    post({ type: 'status', status: s });
  };

  return (m) => {
    switch (m.type) {
      case 'connect':
        if (socket) return;
        socket = socketLink(m.url, { onText: receive, onStatus: status }, openSocket);
        for (const text of early.splice(0)) socket.send(text);
        return;
      case 'send': {
        decoder.track(outgoing(m.message));
        const text = JSON.stringify(m.message);
        if (socket) socket.send(text);
        else early.push(text);
        return;
      }
      case 'track':
        decoder.track(m.message);
        return;
      case 'incoming':
        receive(m.text);
        return;
    }
  };
}
