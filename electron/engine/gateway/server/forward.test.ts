import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTimeout, readBody } from './forward';

let server: http.Server | undefined;
let client: net.Socket | undefined;
afterEach(async () => {
  client?.destroy();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

/** A server that hands each request to `readBody`, and a raw client that writes `head` + `body` then stalls. */
async function readWith(head: string, body: string, timeoutMs: number): Promise<unknown> {
  const result = new Promise<unknown>((resolve) => {
    server = http.createServer((req) => void readBody(req, timeoutMs).then((r) => resolve(r.buffered?.toString()), (e: unknown) => resolve(e)));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  client = net.connect((server!.address() as AddressInfo).port, '127.0.0.1');
  client.on('error', () => undefined);
  client.write(head + body);
  return result;
}

describe('the gateway reading a call body', () => {
  it('keeps a whole small body', async () => {
    expect(await readWith('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n', 'hello', 5000)).toBe('hello');
  });

  it('ends a call whose caller stops sending its body at the deadline, instead of holding it for ever', async () => {
    const t0 = Date.now();
    const r = await readWith('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n', 'he', 300);
    expect(r).toBeInstanceOf(BodyTimeout);
    expect((r as Error).message).toMatch(/did not arrive within/);
    expect(Date.now() - t0).toBeLessThan(4000);
  });
});
