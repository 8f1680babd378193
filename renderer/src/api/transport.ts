import type { ClientMessage } from '../../../shared/contract';
import { MessageDecoder, type Decoded } from './decode';
import { outgoing } from './outgoing';
import { socketLink, type ConnectionStatus, type SocketLike } from './socket-link';

export type { ConnectionStatus } from './socket-link';

/** The page's pipe to the engine: messages go out as objects and come back parsed and validated. */
export interface Transport {
  send(message: ClientMessage): void;
  onMessage(listener: (message: Decoded) => void): void;
  onStatus(listener: (status: ConnectionStatus) => void): void;
}

/** What the Electron preload exposes on window.funcdeck (and nothing more). */
export interface PreloadBridge {
  send(text: string): void;
  onMessage(listener: (text: string) => void): void;
}

declare global {
  interface Window {
    funcdeck?: PreloadBridge;
  }
}

/** Where engine text comes from: the engine's WebSocket (browser mode) or the Electron preload. */
export type EngineRoute = { url: string; openSocket?: (url: string) => SocketLike } | { bridge: PreloadBridge };

/**
 * Everything on the page's thread: the page owns the socket (or takes the preload's text) and
 * decodes it itself. Where no worker can run, and when the worker fails to start.
 */
export function inlineTransport(route: EngineRoute): Transport {
  const decoder = new MessageDecoder();
  const messageListeners: Array<(m: Decoded) => void> = [];
  const statusListeners: Array<(s: ConnectionStatus) => void> = [];
  const receive = (text: string) => {
    const m = decoder.decode(text);
    if (m) messageListeners.forEach((l) => l(m));
  };
  let pipe: { send(text: string): void };
  let onStatus: Transport['onStatus'];
  if ('bridge' in route) {
    route.bridge.onMessage(receive);
    pipe = route.bridge;
    onStatus = (l) => queueMicrotask(() => l('open'));
  } else {
    let wasOpen = false;
    const onSocketStatus = (s: ConnectionStatus) => {
      if (s === 'closed' && wasOpen) decoder.connectionLost();
      wasOpen = s === 'open';
      statusListeners.forEach((l) => l(s));
    };
    pipe = socketLink(route.url, { onText: receive, onStatus: onSocketStatus }, route.openSocket);
    onStatus = (l) => void statusListeners.push(l);
  }
  return {
    send(message) {
      decoder.track(outgoing(message));
      pipe.send(JSON.stringify(message));
    },
    onMessage: (l) => void messageListeners.push(l),
    onStatus,
  };
}
