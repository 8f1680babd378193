import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engineLink, type FromLink } from './engine-link';
import type { SocketLike } from './socket-link';

/** A WebSocket stand-in the test drives: open it, deliver text, close it. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(text: string) {
    this.sent.push(text);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(value: unknown) {
    this.onmessage?.({ data: typeof value === 'string' ? value : JSON.stringify(value) });
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

const info = { name: 'Funcdeck', version: '1.0.0', mode: 'web', platform: 'linux', node: 'v22' };

function setup() {
  const sockets: FakeSocket[] = [];
  const posted: FromLink[] = [];
  const link = engineLink((m) => posted.push(m), (url) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s;
  });
  const messages = () => posted.flatMap((m) => (m.type === 'message' ? [m.message] : []));
  const statuses = () => posted.flatMap((m) => (m.type === 'status' ? [m.status] : []));
  return { sockets, posted, link, messages, statuses };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('engine link (the worker’s logic)', () => {
  it('browser mode: owns the socket, sends what the page asks, and posts back checked data', () => {
    const { sockets, link, messages, statuses } = setup();
    link({ type: 'connect', url: 'ws://127.0.0.1:1/api?token=t' });
    link({ type: 'send', message: { type: 'call', id: 'c1', method: 'app.info', params: {} } });
    expect(sockets[0]!.sent).toEqual([]); // not open yet: it waits
    sockets[0]!.open();
    expect(sockets[0]!.sent.map((t) => JSON.parse(t))).toEqual([{ type: 'call', id: 'c1', method: 'app.info', params: {} }]);
    sockets[0]!.deliver({ type: 'result', id: 'c1', ok: true, value: info });
    sockets[0]!.deliver('not json');
    expect(messages()).toEqual([
      { kind: 'result', id: 'c1', ok: true, value: info },
      { kind: 'invalid', problem: 'engine sent invalid JSON' },
    ]);
    expect(statuses()).toEqual(['connecting', 'open']);
  });

  it('browser mode: reconnects after the socket closes, and forgets calls the closed connection will never answer', () => {
    const { sockets, link, messages, statuses } = setup();
    link({ type: 'connect', url: 'ws://x/api' });
    sockets[0]!.open();
    link({ type: 'send', message: { type: 'call', id: 'c1', method: 'app.info', params: {} } });
    link({ type: 'send', message: { type: 'subscribe', id: 's1', stream: 'logs.follow', params: { function: 'f' } } });
    sockets[0]!.close();
    vi.advanceTimersByTime(250);
    expect(sockets.length).toBe(2);
    sockets[1]!.open();
    sockets[1]!.deliver({ type: 'result', id: 'c1', ok: true, value: info });
    sockets[1]!.deliver({ type: 'event', id: 's1', value: { lines: [] } });
    expect(messages()).toEqual([{ kind: 'event', id: 's1', value: { lines: [] } }]);
    expect(statuses()).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
  });

  it('Electron: decodes the text the preload hands over, for the ids the page told it about', () => {
    const { sockets, link, messages } = setup();
    link({ type: 'track', message: { type: 'call', id: 'c7', method: 'app.info' } });
    link({ type: 'incoming', text: JSON.stringify({ type: 'result', id: 'c7', ok: true, value: { ...info, mode: 'electron' } }) });
    link({ type: 'incoming', text: JSON.stringify({ type: 'event', id: 's9', value: { lines: [] } }) });
    expect(messages()).toEqual([{ kind: 'result', id: 'c7', ok: true, value: { ...info, mode: 'electron' } }]);
    expect(sockets).toEqual([]);
  });
});
