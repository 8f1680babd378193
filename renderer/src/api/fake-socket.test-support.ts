import { EngineClient } from './client';
import type { SocketLike } from './socket-link';
import { inlineTransport } from './transport';

/** A WebSocket stand-in for tests: the test opens it, makes the engine answer, closes it. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Array<{ type: string; id: string; method?: string; stream?: string; params?: unknown }> = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(value: unknown) {
    this.onmessage?.({ data: typeof value === 'string' ? value : JSON.stringify(value) });
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

/** An EngineClient on the page's own transport over FakeSockets (a new one per reconnect). */
export function clientOnFakeSockets(): { client: EngineClient; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  const client = new EngineClient(
    inlineTransport({
      url: 'ws://x/api',
      openSocket: () => {
        sockets.push(new FakeSocket());
        return sockets.at(-1)!;
      },
    }),
  );
  return { client, sockets };
}
