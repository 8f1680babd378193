import { describe, expect, it } from 'vitest';
import { EngineClient } from './client';
import { FakeSocket } from './fake-socket.test-support';
import { inlineTransport } from './transport';

function setup() {
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
  return { sockets, client };
}

describe('EngineClient subscriptions', () => {
  it('a stream subscribed before the connection opens is subscribed once (a second subscribe with its id ended it)', () => {
    const { sockets, client } = setup();
    client.subscribe('clusters.watch', {}, { onEvent: () => undefined });
    sockets[0]!.open();
    expect(sockets[0]!.sent.filter((m) => m.type === 'subscribe')).toHaveLength(1);
  });
});
