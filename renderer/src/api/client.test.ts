import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FuncdeckError, type LogsBatch } from '../../../shared/contract';
import { clientOnFakeSockets } from './fake-socket.test-support';

const info = { name: 'Funcdeck', version: '1.0.0', mode: 'web', platform: 'linux', node: 'v22' };
const line = { ts: '2026-12-01T10:00:00.000000000Z', pod: 'p', revision: '1', container: 'function', requestId: null, text: 'hello', seq: 1 };

function setup() {
  const { sockets, client } = clientOnFakeSockets();
  sockets[0]!.open();
  return { socket: sockets[0]!, sockets, client };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('EngineClient (transport decoding on the page)', () => {
  it('resolves a call with the checked value, and rejects one whose reply breaks the contract', async () => {
    const { socket, client } = setup();
    const ok = client.call('app.info', {});
    const bad = client.call('app.info', {});
    const [c1, c2] = socket.sent;
    socket.reply({ type: 'result', id: c1!.id, ok: true, value: info });
    socket.reply({ type: 'result', id: c2!.id, ok: true, value: { ...info, name: 'Other' } });
    await expect(ok).resolves.toEqual(info);
    await expect(bad).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(client.status).toBe('open');
  });

  it('delivers stream events, skips and logs a malformed one, and ends with the engine’s error', () => {
    const { socket, client } = setup();
    const events: LogsBatch[] = [];
    let ended: FuncdeckError | undefined | null = null;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    client.subscribe('logs.follow', { function: 'hello' }, { onEvent: (e) => events.push(e), onEnd: (e) => (ended = e) });
    const id = socket.sent[0]!.id;
    socket.reply({ type: 'event', id, value: { lines: [line] } });
    socket.reply({ type: 'event', id, value: { lines: [{ ...line, seq: 'x' }] } });
    socket.reply({ type: 'event', id, value: { lines: [{ ...line, seq: 2 }] } });
    socket.reply({ type: 'end', id, error: { code: 'FORBIDDEN', message: 'Not allowed to watch pods.' } });
    expect(events.map((e) => e.lines[0]!.seq)).toEqual([1, 2]);
    expect(logged).toHaveBeenCalledWith('Funcdeck: malformed logs.follow event', expect.any(Array));
    expect(ended).toBeInstanceOf(FuncdeckError);
    expect(ended!.code).toBe('FORBIDDEN');
    logged.mockRestore();
  });

  it('rejects invalid params before sending anything', async () => {
    const { socket, client } = setup();
    await expect(client.call('logs.query', { function: 'Not A Name' } as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(socket.sent).toEqual([]);
  });

  it('rejects calls a lost connection will not answer, and subscribes again when it is back', async () => {
    const { socket, sockets, client } = setup();
    const events: LogsBatch[] = [];
    client.subscribe('logs.follow', { function: 'hello' }, { onEvent: (e) => events.push(e) });
    const pending = client.call('app.info', {});
    socket.close();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(client.status).toBe('closed');
    vi.advanceTimersByTime(250);
    sockets[1]!.open();
    const again = sockets[1]!.sent.find((m) => m.type === 'subscribe')!;
    expect(again.stream).toBe('logs.follow');
    sockets[1]!.reply({ type: 'event', id: again.id, value: { lines: [line] } });
    expect(events).toHaveLength(1);
  });
});
