import WebSocket from 'ws';
import { test, expect } from './fixtures';

/** Opens a socket from Node (so the Origin header can be forged) and reports how it ended. */
function tryConnect(url: string, origin: string): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.once('error', () => resolve({ opened: false }));
  });
}

test.describe('browser mode guards the engine', () => {
  test('a socket without the token is refused', async ({ app }) => {
    const result = await tryConnect(`ws://127.0.0.1:${app.port}/api`, app.origin);
    expect(result).toEqual({ opened: false, status: 403 });
  });

  test('a socket with a wrong token is refused', async ({ app }) => {
    const result = await tryConnect(`ws://127.0.0.1:${app.port}/api?token=${'0'.repeat(app.token.length)}`, app.origin);
    expect(result).toEqual({ opened: false, status: 403 });
  });

  test('a socket from a foreign Origin is refused even with the token', async ({ app }) => {
    const result = await tryConnect(`ws://127.0.0.1:${app.port}/api?token=${app.token}`, 'http://evil.example');
    expect(result).toEqual({ opened: false, status: 403 });
  });

  test('the right token from the app origin connects', async ({ app }) => {
    const result = await tryConnect(`ws://127.0.0.1:${app.port}/api?token=${app.token}`, app.origin);
    expect(result).toEqual({ opened: true });
  });

  test('a malformed message gets an error reply and the connection survives', async ({ app, page }) => {
    const replies = await page.evaluate(async ({ port, token }) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
      const got: unknown[] = [];
      await new Promise((r) => (ws.onopen = r));
      const next = () => new Promise((r) => (ws.onmessage = (e) => r(JSON.parse(e.data as string))));
      ws.send('{this is not json');
      got.push(await next());
      ws.send(JSON.stringify({ type: 'call', id: 'x1' }));
      got.push(await next());
      ws.send(JSON.stringify({ type: 'call', id: 'x2', method: 'app.info', params: {} }));
      got.push(await next());
      ws.close();
      return got;
    }, { port: app.port, token: app.token });
    expect(replies[0]).toMatchObject({ type: 'result', ok: false, error: { code: 'BAD_REQUEST' } });
    expect(replies[1]).toMatchObject({ type: 'result', id: 'x1', ok: false, error: { code: 'BAD_REQUEST' } });
    expect(replies[2]).toMatchObject({ type: 'result', id: 'x2', ok: true, value: { name: 'Funcdeck', mode: 'web' } });
  });

  test('pages carry a strict Content-Security-Policy and other hosts are refused', async ({ app, request }) => {
    const res = await request.get(app.url);
    const csp = res.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
    const foreign = await request.get(`http://127.0.0.1:${app.port}/`, { headers: { host: 'evil.example' } });
    expect(foreign.status()).toBe(421);
  });
});
