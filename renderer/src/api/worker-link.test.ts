import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageDecoder } from './decode';
import { FakeSocket } from './fake-socket.test-support';
import { workerLink, type FromWorker } from './worker-link';

const info = { name: 'Funcdeck', version: '1.0.0', mode: 'web', platform: 'linux', node: 'v22' };
const call = (id: string) => ({ type: 'call' as const, id, method: 'app.info', params: {} });

function setup() {
  const sockets: FakeSocket[] = [];
  const out: FromWorker[] = [];
  const link = workerLink((m) => out.push(m), {
    loadDecoder: () => Promise.resolve(new MessageDecoder()),
    openSocket: () => {
      sockets.push(new FakeSocket());
      return sockets.at(-1)!;
    },
  });
  return { link, out, sockets, kinds: () => out.map((m) => m.type) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('engine link worker', () => {
  it('owns the socket: sends what the page asks once it is open, and hands text back raw before it has a decoder', () => {
    const { link, out, sockets } = setup();
    link({ type: 'send', message: call('c1') });
    link({ type: 'connect', url: 'ws://127.0.0.1:1/api?token=t' });
    expect(sockets[0]!.sent).toEqual([]);
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual([call('c1')]);
    sockets[0]!.reply({ type: 'result', id: 'c1', ok: true, value: info });
    expect(out).toEqual([
      { type: 'status', status: 'connecting' },
      { type: 'status', status: 'open' },
      { type: 'raw', text: JSON.stringify({ type: 'result', id: 'c1', ok: true, value: info }) },
    ]);
  });

  it('after the page hands over, parses and validates here, having learnt what the page decoded meanwhile', async () => {
    const { link, out, sockets, kinds } = setup();
    link({ type: 'connect', url: 'ws://x/api' });
    sockets[0]!.open();
    link({ type: 'send', message: call('c1') });
    link({ type: 'send', message: call('c2') });
    link({ type: 'send', message: { type: 'subscribe', id: 's1', stream: 'logs.follow', params: { function: 'f' } } });
    link({ type: 'upgrade' });
    await vi.advanceTimersByTimeAsync(0);
    expect(kinds()).toEqual(['status', 'status', 'decoder-ready']);
    // Still raw until the page's snapshot arrives: the page decodes this one (c1's answer)...
    sockets[0]!.reply({ type: 'result', id: 'c1', ok: true, value: info });
    // ...and its snapshot was taken before it saw it (after 2 raw items: the two statuses).
    link({ type: 'reset', tracked: [{ type: 'call', id: 'c1', method: 'app.info' }, { type: 'call', id: 'c2', method: 'app.info' }, { type: 'subscribe', id: 's1', stream: 'logs.follow' }], upTo: 2 });
    out.length = 0;
    sockets[0]!.reply({ type: 'result', id: 'c1', ok: true, value: info }); // already answered: nobody's
    sockets[0]!.reply({ type: 'result', id: 'c2', ok: true, value: { ...info, mode: 'fax' } });
    sockets[0]!.reply({ type: 'event', id: 's1', value: { lines: [] } });
    sockets[0]!.reply('{');
    expect(out).toEqual([
      { type: 'message', message: expect.objectContaining({ kind: 'result', id: 'c2', ok: false, error: expect.objectContaining({ code: 'INTERNAL' }) }) },
      { type: 'message', message: { kind: 'event', id: 's1', value: { lines: [] } } },
      { type: 'message', message: { kind: 'invalid', problem: 'engine sent invalid JSON' } },
    ]);
  });

  it('Electron: decodes the text the page relays once it has taken over', async () => {
    const { link, out, sockets } = setup();
    link({ type: 'upgrade' });
    await vi.advanceTimersByTimeAsync(0);
    link({ type: 'reset', tracked: [], upTo: 0 });
    link({ type: 'track', message: { type: 'call', id: 'c7', method: 'app.info' } });
    link({ type: 'incoming', text: JSON.stringify({ type: 'result', id: 'c7', ok: true, value: { ...info, mode: 'electron' } }) });
    expect(out.at(-1)).toEqual({ type: 'message', message: { kind: 'result', id: 'c7', ok: true, value: { ...info, mode: 'electron' } } });
    expect(sockets).toEqual([]);
  });

  it('forgets the calls of a lost connection, and reconnects', async () => {
    const { link, out, sockets } = setup();
    link({ type: 'connect', url: 'ws://x/api' });
    sockets[0]!.open();
    link({ type: 'upgrade' });
    await vi.advanceTimersByTimeAsync(0);
    link({ type: 'reset', tracked: [], upTo: 2 });
    link({ type: 'send', message: call('c1') });
    sockets[0]!.close();
    await vi.advanceTimersByTimeAsync(250);
    sockets[1]!.open();
    out.length = 0;
    sockets[1]!.reply({ type: 'result', id: 'c1', ok: true, value: info });
    expect(out).toEqual([]);
  });
});
