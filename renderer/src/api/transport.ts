/** A bidirectional pipe of JSON strings to the engine: Electron IPC or a WebSocket. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface Transport {
  send(text: string): void;
  onMessage(listener: (text: string) => void): void;
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

function ipcTransport(bridge: PreloadBridge): Transport {
  return {
    send: (text) => bridge.send(text),
    onMessage: (listener) => bridge.onMessage(listener),
    onStatus: (listener) => queueMicrotask(() => listener('open')),
  };
}

/** Browser mode: the engine's WebSocket, guarded by the launch token from the page URL; reconnects with backoff. */
function webSocketTransport(url: string): Transport {
  const messageListeners: Array<(text: string) => void> = [];
  const statusListeners: Array<(status: ConnectionStatus) => void> = [];
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let delay = 250;

  const setStatus = (status: ConnectionStatus) => statusListeners.forEach((l) => l(status));
  const connect = () => {
    setStatus('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = 250;
      setStatus('open');
      for (const text of queue.splice(0)) ws.send(text);
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') messageListeners.forEach((l) => l(event.data as string));
    };
    ws.onclose = () => {
      socket = null;
      setStatus('closed');
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  };
  connect();
  return {
    send(text) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage: (listener) => void messageListeners.push(listener),
    onStatus: (listener) => void statusListeners.push(listener),
  };
}

export function defaultTransport(): Transport {
  if (window.funcdeck) return ipcTransport(window.funcdeck);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return webSocketTransport(`${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}`);
}
