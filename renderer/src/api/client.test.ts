import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, Transport } from './transport';
import { EngineClient } from './client';

function fakeTransport() {
  const sent: Array<{ type: string; id: string }> = [];
  let status: (s: ConnectionStatus) => void = () => undefined;
  const transport: Transport = {
    // Like the WebSocket transport: what is sent before the socket opens waits in its queue and goes out then.
    send: (text) => void sent.push(JSON.parse(text)),
    onMessage: () => undefined,
    onStatus: (l) => void (status = l),
  };
  return { transport, sent, setStatus: (s: ConnectionStatus) => status(s) };
}

describe('EngineClient subscriptions', () => {
  it('a stream subscribed before the connection opens is subscribed once (a second subscribe with its id ended it)', () => {
    const t = fakeTransport();
    const client = new EngineClient(t.transport);
    client.subscribe('clusters.watch', {}, { onEvent: () => undefined });
    t.setStatus('open');
    expect(t.sent.filter((m) => m.type === 'subscribe')).toHaveLength(1);
  });

  it('after a reconnect every live stream is subscribed again, once', () => {
    const t = fakeTransport();
    const client = new EngineClient(t.transport);
    t.setStatus('open');
    client.subscribe('clusters.watch', {}, { onEvent: () => undefined });
    t.setStatus('closed');
    client.subscribe('functions.watch', {}, { onEvent: () => undefined });
    t.setStatus('open');
    const ids = t.sent.filter((m) => m.type === 'subscribe').map((m) => m.id);
    expect(ids).toEqual([ids[0], ids[0], ids[2]]);
    expect(new Set(ids.slice(1)).size).toBe(2);
  });
});
