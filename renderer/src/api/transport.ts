import type { ClientMessage } from '../../../shared/contract';
import type { Decoded } from './decode';
import { engineLink, outgoing, type FromLink, type ToLink } from './engine-link';
import type { ConnectionStatus, SocketLike } from './socket-link';

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

/** A way to reach the engine link: post to it, and listen to what it posts back. */
export interface LinkChannel {
  post(m: ToLink): void;
  listen(listener: (m: FromLink) => void): void;
}

/** The link running on the page's own thread (where no worker can be started; and in tests, with a fake socket). */
export function inlineChannel(openSocket?: (url: string) => SocketLike): LinkChannel {
  const listeners: Array<(m: FromLink) => void> = [];
  const handle = engineLink((m) => listeners.forEach((l) => l(m)), openSocket);
  return { post: handle, listen: (l) => void listeners.push(l) };
}

/**
 * The link in a dedicated worker. Should the worker fail to start (its script refused or broken),
 * the link runs inline instead and gets every message posted so far.
 */
function workerChannel(): LinkChannel {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'funcdeck-engine-link' });
  } catch (e) {
    console.error('Funcdeck: the engine link worker could not start; parsing on the main thread instead.', e);
    return inlineChannel();
  }
  const listeners: Array<(m: FromLink) => void> = [];
  let inline: LinkChannel | null = null;
  let ready = false;
  const beforeReady: ToLink[] = [];
  worker.onmessage = (e: MessageEvent<FromLink>) => {
    if (e.data.type === 'ready') {
      ready = true;
      beforeReady.length = 0;
    }
    listeners.forEach((l) => l(e.data));
  };
  worker.onerror = (e) => {
    if (ready || inline) return;
    console.error('Funcdeck: the engine link worker failed to start; parsing on the main thread instead.', e.message);
    worker.terminate();
    inline = inlineChannel();
    inline.listen((m) => listeners.forEach((l) => l(m)));
    for (const m of beforeReady.splice(0)) inline.post(m);
  };
  return {
    post(m) {
      if (inline) return inline.post(m);
      if (!ready) beforeReady.push(m);
      worker.postMessage(m);
    },
    listen: (l) => void listeners.push(l),
  };
}

/** The transport over a link channel: the link owns the WebSocket (browser mode) or decodes what the preload hands over (Electron). */
export function linkTransport(channel: LinkChannel, via: { url: string } | { bridge: PreloadBridge }): Transport {
  const messageListeners: Array<(m: Decoded) => void> = [];
  const statusListeners: Array<(s: ConnectionStatus) => void> = [];
  channel.listen((m) => {
    if (m.type === 'message') messageListeners.forEach((l) => l(m.message));
    else if (m.type === 'status') statusListeners.forEach((l) => l(m.status));
  });
  if ('bridge' in via) {
    const { bridge } = via;
    bridge.onMessage((text) => channel.post({ type: 'incoming', text }));
    return {
      send(message) {
        // The link learns the id before the engine can answer it (posts to it keep their order).
        channel.post({ type: 'track', message: outgoing(message) });
        bridge.send(JSON.stringify(message));
      },
      onMessage: (l) => void messageListeners.push(l),
      onStatus: (l) => queueMicrotask(() => l('open')),
    };
  }
  channel.post({ type: 'connect', url: via.url });
  return {
    send: (message) => channel.post({ type: 'send', message }),
    onMessage: (l) => void messageListeners.push(l),
    onStatus: (l) => void statusListeners.push(l),
  };
}

export function defaultTransport(): Transport {
  const channel = typeof Worker === 'undefined' ? inlineChannel() : workerChannel();
  if (window.funcdeck) return linkTransport(channel, { bridge: window.funcdeck });
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return linkTransport(channel, { url: `${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}` });
}
