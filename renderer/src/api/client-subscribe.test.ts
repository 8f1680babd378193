import { describe, expect, it } from 'vitest';
import { clientOnFakeSockets as setup } from './fake-socket.test-support';

describe('EngineClient subscriptions', () => {
  it('a stream subscribed before the connection opens is subscribed once (a second subscribe with its id ended it)', () => {
    const { sockets, client } = setup();
    client.subscribe('clusters.watch', {}, { onEvent: () => undefined });
    sockets[0]!.open();
    expect(sockets[0]!.sent.filter((m) => m.type === 'subscribe')).toHaveLength(1);
  });
});
