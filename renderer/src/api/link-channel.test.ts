import { describe, expect, it, vi } from 'vitest';
import { engineLink, type FromLink, type ToLink } from './engine-link';
import { workerChannel, type WorkerLike } from './link-channel';

const info = { name: 'Funcdeck', version: '1.0.0', mode: 'web', platform: 'linux', node: 'v22' };
const text = (v: unknown) => JSON.stringify(v);

/** A worker stand-in: records what the page posts; the test says when it is ready or fails. */
class FakeWorker implements WorkerLike {
  posted: ToLink[] = [];
  onmessage: ((e: { data: FromLink }) => void) | null = null;
  onerror: ((e: { message?: string }) => void) | null = null;
  terminated = false;
  postMessage(m: ToLink) {
    this.posted.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  emit(data: FromLink) {
    this.onmessage?.({ data });
  }
}

describe('engine link (what runs in the worker)', () => {
  it('decodes what it is handed, for the ids it was told about, and forgets calls of a lost connection', () => {
    const out: FromLink[] = [];
    const link = engineLink((m) => out.push(m)).handle;
    link({ type: 'track', message: { type: 'call', id: 'c1', method: 'app.info' } });
    link({ type: 'track', message: { type: 'call', id: 'c2', method: 'app.info' } });
    link({ type: 'incoming', text: text({ type: 'result', id: 'c1', ok: true, value: info }) });
    link({ type: 'incoming', text: 'not json' });
    link({ type: 'lost' });
    link({ type: 'incoming', text: text({ type: 'result', id: 'c2', ok: true, value: info }) });
    expect(out).toEqual([
      { type: 'message', message: { kind: 'result', id: 'c1', ok: true, value: info } },
      { type: 'message', message: { kind: 'invalid', problem: 'engine sent invalid JSON' } },
    ]);
  });
});

describe('worker channel', () => {
  it('decodes inline until the worker is ready, then hands it what the page knows and every engine message after', () => {
    const w = new FakeWorker();
    let go = () => {};
    const channel = workerChannel(() => w, (start) => (go = start));
    const got: FromLink[] = [];
    channel.listen((m) => got.push(m));
    channel.post({ type: 'track', message: { type: 'call', id: 'c1', method: 'app.info' } });
    channel.post({ type: 'track', message: { type: 'subscribe', id: 's1', stream: 'logs.follow' } });
    channel.post({ type: 'track', message: { type: 'call', id: 'c2', method: 'app.info' } });
    channel.post({ type: 'incoming', text: text({ type: 'result', id: 'c1', ok: true, value: info }) });
    // Answered on the page at once, before the worker even started.
    expect(got).toEqual([{ type: 'message', message: { kind: 'result', id: 'c1', ok: true, value: info } }]);
    go();
    channel.post({ type: 'track', message: { type: 'call', id: 'c3', method: 'app.info' } });
    expect(w.posted).toEqual([]);

    w.emit({ type: 'ready' });
    // What is still open, exactly: c1 was answered.
    expect(w.posted).toEqual([
      {
        type: 'reset',
        tracked: [
          { type: 'call', id: 'c2', method: 'app.info' },
          { type: 'call', id: 'c3', method: 'app.info' },
          { type: 'subscribe', id: 's1', stream: 'logs.follow' },
        ],
      },
    ]);
    const reply = { type: 'incoming', text: text({ type: 'result', id: 'c2', ok: true, value: info }) } as const;
    channel.post(reply);
    // Not decoded on the page any more: the worker's answer is what the page gets.
    expect(got.filter((m) => m.type === 'message')).toHaveLength(1);
    expect(w.posted.at(-1)).toEqual(reply);
    w.emit({ type: 'message', message: { kind: 'result', id: 'c2', ok: true, value: info } });
    expect(got.at(-1)).toEqual({ type: 'message', message: { kind: 'result', id: 'c2', ok: true, value: info } });
  });

  it('a link that takes over from another decodes what that one had subscribed to', () => {
    const page = engineLink(() => {});
    page.handle({ type: 'track', message: { type: 'subscribe', id: 's1', stream: 'logs.follow' } });
    const out: FromLink[] = [];
    const worker = engineLink((m) => out.push(m));
    const event = { type: 'incoming', text: text({ type: 'event', id: 's1', value: { lines: [] } }) } as const;
    worker.handle(event);
    expect(out).toEqual([]);
    worker.handle({ type: 'reset', tracked: page.tracked() });
    worker.handle(event);
    expect(out).toEqual([{ type: 'message', message: { kind: 'event', id: 's1', value: { lines: [] } } }]);
  });

  it('keeps decoding inline when the worker fails to start', () => {
    const w = new FakeWorker();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const channel = workerChannel(() => w);
    const got: FromLink[] = [];
    channel.listen((m) => got.push(m));
    w.onerror?.({ message: 'Refused to load the script' });
    expect(w.terminated).toBe(true);
    channel.post({ type: 'track', message: { type: 'call', id: 'c1', method: 'app.info' } });
    channel.post({ type: 'incoming', text: text({ type: 'result', id: 'c1', ok: true, value: info }) });
    expect(got).toEqual([{ type: 'message', message: { kind: 'result', id: 'c1', ok: true, value: info } }]);
    expect(w.posted).toEqual([]);
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/failed to start; parsing on the main thread/), 'Refused to load the script');
    logged.mockRestore();
  });
});
