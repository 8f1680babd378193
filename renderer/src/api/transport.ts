import type { ClientMessage } from '../../../shared/contract';
import type { Decoded } from './decode';
import { outgoing } from './engine-link';
import { inlineChannel, workerChannel, type LinkChannel, type WorkerLike } from './link-channel';
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

/**
 * The transport over a link channel. The page only moves text: it sends JSON through the WebSocket
 * (browser mode) or the preload (Electron), and hands what comes back to the link, which parses and
 * validates it (in a worker) and returns checked data.
 */
export function linkTransport(channel: LinkChannel, via: { url: string; openSocket?: (url: string) => SocketLike } | { bridge: PreloadBridge }): Transport {
  const messageListeners: Array<(m: Decoded) => void> = [];
  const statusListeners: Array<(s: ConnectionStatus) => void> = [];
  channel.listen((m) => {
    if (m.type === 'message') messageListeners.forEach((l) => l(m.message));
  });
  const receive = (text: string) => channel.post({ type: 'incoming', text });
  let pipe: { send(text: string): void };
  let onStatus: (l: (s: ConnectionStatus) => void) => void;
  if ('bridge' in via) {
    via.bridge.onMessage(receive);
    pipe = via.bridge;
    onStatus = (l) => queueMicrotask(() => l('open'));
  } else {
    let wasOpen = false;
    pipe = socketLink(
      via.url,
      {
        onText: receive,
        onStatus(s) {
          if (s === 'closed' && wasOpen) channel.post({ type: 'lost' });
          wasOpen = s === 'open';
          statusListeners.forEach((l) => l(s));
        },
      },
      via.openSocket,
    );
    onStatus = (l) => void statusListeners.push(l);
  }
  return {
    send(message) {
      // The link learns the id before the engine can answer it (posts to it keep their order).
      channel.post({ type: 'track', message: outgoing(message) });
      pipe.send(JSON.stringify(message));
    },
    onMessage: (l) => void messageListeners.push(l),
    onStatus,
  };
}

function startWorker(): WorkerLike {
  return new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'funcdeck-engine-link' }) as unknown as WorkerLike;
}

/** After the page has loaded, at its first idle moment (or 2 s later at the latest). */
function whenSettled(go: () => void): void {
  const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => go(), { timeout: 2000 }) : setTimeout(go, 500));
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}

export function defaultTransport(): Transport {
  const channel = typeof Worker === 'undefined' ? inlineChannel() : workerChannel(startWorker, whenSettled);
  if (window.funcdeck) return linkTransport(channel, { bridge: window.funcdeck });
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return linkTransport(channel, { url: `${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}` });
}
