import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogsBatch } from '../../../shared/contract';
import { EngineClient } from './client';
import { MessageDecoder } from './decode';
import { FakeSocket } from './fake-socket.test-support';
import type { PreloadBridge } from './transport';
import { workerLink, type FromWorker, type ToWorker } from './worker-link';
import { workerTransport, type WorkerLike } from './worker-transport';

const info = { name: 'Funcdeck', version: '1.0.0', mode: 'web', platform: 'linux', node: 'v22' };
const line = (seq: number) => ({ ts: '2026-12-01T10:00:00.000000000Z', pod: 'p', revision: '1', container: 'function', requestId: null, text: `l${seq}`, seq });

/**
 * The real worker logic behind a message port's manners: every message is cloned and delivered in
 * order as a later task, both ways. `decodes` counts what the worker parsed itself.
 */
class LoopbackWorker implements WorkerLike {
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message?: string }) => void) | null = null;
  sockets: FakeSocket[] = [];
  decodes = 0;
  private handle = workerLink((m) => setTimeout(() => this.onmessage?.({ data: structuredClone(m) }), 0), {
    loadDecoder: async () => {
      const d = new MessageDecoder();
      const decode = d.decode.bind(d);
      d.decode = (text) => (this.decodes++, decode(text));
      return d;
    },
    openSocket: () => {
      this.sockets.push(new FakeSocket());
      return this.sockets.at(-1)!;
    },
  });
  postMessage(m: ToWorker) {
    const copy = structuredClone(m);
    setTimeout(() => this.handle(copy), 0);
  }
  terminate() {}
}

/** The engine: answers every call the socket got with app.info, and every subscription with events. */
function answerAll(socket: FakeSocket, answered: Set<string>, seq: { n: number }) {
  for (const m of socket.sent) {
    if (answered.has(m.id)) continue;
    answered.add(m.id);
    if (m.type === 'call') socket.reply({ type: 'result', id: m.id, ok: true, value: { ...info, version: m.id } });
    if (m.type === 'subscribe') for (let i = 0; i < 3; i++) socket.reply({ type: 'event', id: m.id, value: { lines: [line(++seq.n)] } });
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('engine link: page and worker together', () => {
  it('every call is answered once and every event delivered once, in order, across the worker taking over', async () => {
    const w = new LoopbackWorker();
    let upgrade = () => {};
    const client = new EngineClient(workerTransport(() => w, { url: 'ws://x/api' }, (go) => (upgrade = go)));
    const events: number[] = [];
    client.subscribe('logs.follow', { function: 'f' }, { onEvent: (e: LogsBatch) => events.push(...e.lines.map((l) => l.seq)) });
    const results: Array<Promise<string>> = [];
    const ask = () => results.push(client.call('app.info', {}).then((r) => r.version));
    await vi.advanceTimersByTimeAsync(1);
    w.sockets[0]!.open();
    const answered = new Set<string>();
    const seq = { n: 0 };
    // Traffic before, while and after the worker takes over, answered at every step.
    for (let step = 0; step < 12; step++) {
      ask();
      if (step === 4) upgrade();
      await vi.advanceTimersByTimeAsync(1);
      answerAll(w.sockets[0]!, answered, seq);
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(10);
    const versions = await Promise.all(results);
    expect(versions).toEqual(w.sockets[0]!.sent.filter((m) => m.type === 'call').map((m) => m.id));
    expect(events).toEqual([1, 2, 3]);
    // The later answers were parsed in the worker.
    expect(w.decodes).toBeGreaterThan(4);
  });

  it('a worker that fails before saying anything leaves the page connecting and decoding itself, with what was sent so far', async () => {
    const w = { onmessage: null, onerror: null, postMessage: vi.fn(), terminate: vi.fn() } as WorkerLike & { postMessage: ReturnType<typeof vi.fn> };
    const socket = new FakeSocket();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = new EngineClient(workerTransport(() => w, { url: 'ws://x/api', openSocket: () => socket }, () => {}));
    const answer = client.call('app.info', {});
    w.onerror!({ message: 'Refused to load the worker script' });
    socket.open();
    expect(socket.sent.map((m) => m.type)).toEqual(['call']);
    socket.reply({ type: 'result', id: socket.sent[0]!.id, ok: true, value: info });
    await expect(answer).resolves.toEqual(info);
    expect(w.terminate).toHaveBeenCalled();
    logged.mockRestore();
  });

  it('Electron: the page decodes the preload’s text until the worker takes over, then only relays it', async () => {
    const w = new LoopbackWorker();
    let fromEngine: (text: string) => void = () => {};
    const sent: Array<{ id: string }> = [];
    const bridge: PreloadBridge = { send: (t) => void sent.push(JSON.parse(t)), onMessage: (l) => (fromEngine = l) };
    let upgrade = () => {};
    const client = new EngineClient(workerTransport(() => w, { bridge }, (go) => (upgrade = go)));
    const first = client.call('app.info', {});
    fromEngine(JSON.stringify({ type: 'result', id: sent[0]!.id, ok: true, value: info }));
    await expect(first).resolves.toEqual(info);
    upgrade();
    await vi.advanceTimersByTimeAsync(5);
    const second = client.call('app.info', {});
    await vi.advanceTimersByTimeAsync(1);
    fromEngine(JSON.stringify({ type: 'result', id: sent[1]!.id, ok: true, value: { ...info, mode: 'electron' } }));
    await vi.advanceTimersByTimeAsync(5);
    await expect(second).resolves.toEqual({ ...info, mode: 'electron' });
    expect(w.decodes).toBe(1);
    expect(w.sockets).toEqual([]);
  });
});
