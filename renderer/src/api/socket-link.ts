/** How the engine connection is doing, as the UI shows it. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** The part of a WebSocket the link uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(text: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
}

export interface SocketLinkHandlers {
  onText(text: string): void;
  onStatus(status: ConnectionStatus): void;
}

const OPEN = 1;

/**
 * Browser mode's connection to the engine: a WebSocket guarded by the launch token, reconnected with
 * backoff (250 ms doubling to 5 s); messages sent while it is down wait and go out on open.
 */
export function socketLink(url: string, h: SocketLinkHandlers, open: (url: string) => SocketLike = (u) => new WebSocket(u) as unknown as SocketLike): { send(text: string): void } {
  const queue: string[] = [];
  let socket: SocketLike | null = null;
  let delay = 250;

  const connect = () => {
    h.onStatus('connecting');
    const ws = open(url);
    socket = ws;
    ws.onopen = () => {
      delay = 250;
      h.onStatus('open');
      for (const text of queue.splice(0)) ws.send(text);
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') h.onText(event.data);
    };
    ws.onclose = () => {
      socket = null;
      h.onStatus('closed');
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  };
  connect();
  return {
    send(text) {
      if (socket && socket.readyState === OPEN) socket.send(text);
      else queue.push(text);
    },
  };
}
