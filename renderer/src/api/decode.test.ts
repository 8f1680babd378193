import { describe, expect, it } from 'vitest';
import { MessageDecoder } from './decode';

const info = { name: 'Funcdeck', version: '1.0.0', mode: 'web', platform: 'linux', node: 'v22' };
const line = { ts: '2026-12-01T10:00:00.000000000Z', pod: 'p', revision: '1', container: 'function', requestId: null, text: 'hello', seq: 1 };
const json = (v: unknown) => JSON.stringify(v);

describe('MessageDecoder', () => {
  it('parses a result and validates it against its call’s contract', () => {
    const d = new MessageDecoder();
    d.track({ type: 'call', id: 'c1', method: 'app.info' });
    expect(d.decode(json({ type: 'result', id: 'c1', ok: true, value: info }))).toEqual({ kind: 'result', id: 'c1', ok: true, value: info });
    // Answered once: a second result for the same id is nobody's.
    expect(d.decode(json({ type: 'result', id: 'c1', ok: true, value: info }))).toBeNull();
  });

  it('turns a result that breaks its contract into an INTERNAL error for that call', () => {
    const d = new MessageDecoder();
    d.track({ type: 'call', id: 'c2', method: 'app.info' });
    const out = d.decode(json({ type: 'result', id: 'c2', ok: true, value: { ...info, mode: 'fax' } }));
    expect(out).toMatchObject({ kind: 'result', id: 'c2', ok: false, error: { code: 'INTERNAL' } });
    expect(out?.kind === 'result' && !out.ok && out.error.message).toMatch(/app\.info did not match the contract: mode/);
  });

  it('passes an engine error through, even for a message nobody waits for', () => {
    const d = new MessageDecoder();
    const error = { code: 'BAD_REQUEST', message: 'Could not read the message.' };
    expect(d.decode(json({ type: 'result', id: '', ok: false, error }))).toEqual({ kind: 'result', id: '', ok: false, error });
  });

  it('validates stream events, drops those of streams no longer subscribed, and ends', () => {
    const d = new MessageDecoder();
    d.track({ type: 'subscribe', id: 's1', stream: 'logs.follow' });
    expect(d.decode(json({ type: 'event', id: 's1', value: { lines: [line] } }))).toEqual({ kind: 'event', id: 's1', value: { lines: [line] } });
    const bad = d.decode(json({ type: 'event', id: 's1', value: { lines: [{ ...line, seq: 'one' }] } }));
    expect(bad).toMatchObject({ kind: 'invalid', problem: 'malformed logs.follow event' });
    expect(bad?.kind === 'invalid' && bad.issues?.join(' ')).toMatch(/lines\.0\.seq/);
    expect(d.decode(json({ type: 'end', id: 's1', error: { code: 'FORBIDDEN', message: 'no' } }))).toEqual({ kind: 'end', id: 's1', error: { code: 'FORBIDDEN', message: 'no' } });
    expect(d.decode(json({ type: 'event', id: 's1', value: { lines: [] } }))).toBeNull();
    d.track({ type: 'subscribe', id: 's2', stream: 'logs.follow' });
    d.track({ type: 'unsubscribe', id: 's2' });
    expect(d.decode(json({ type: 'event', id: 's2', value: { lines: [line] } }))).toBeNull();
  });

  it('reports text that is not JSON or not the protocol, without throwing', () => {
    const d = new MessageDecoder();
    expect(d.decode('{"type": "result", ')).toEqual({ kind: 'invalid', problem: 'engine sent invalid JSON' });
    expect(d.decode(json({ type: 'telegram', id: 'x' }))).toMatchObject({ kind: 'invalid', problem: 'malformed message from engine' });
  });

  it('forgets calls when the connection is lost, keeps subscriptions (they are sent again)', () => {
    const d = new MessageDecoder();
    d.track({ type: 'call', id: 'c3', method: 'app.info' });
    d.track({ type: 'subscribe', id: 's3', stream: 'logs.follow' });
    d.connectionLost();
    expect(d.decode(json({ type: 'result', id: 'c3', ok: true, value: info }))).toBeNull();
    expect(d.decode(json({ type: 'event', id: 's3', value: { lines: [] } }))).toEqual({ kind: 'event', id: 's3', value: { lines: [] } });
  });
});
