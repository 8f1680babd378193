import { test, expect } from './fixtures';

// Issue 9 (the logs flood): engine messages are parsed and validated in a worker, which owns the
// engine's WebSocket in browser mode, and the Content-Security-Policy lets that worker run.

test.describe('engine link', () => {
  test.use({ kubeconfig: 'two-contexts' });

  test('the page’s main thread opens no socket: a worker from the app itself talks to the engine, within the CSP', async ({ app, page }) => {
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    // Counted from the first script on: every WebSocket the page itself constructs, every CSP violation it sees.
    await page.addInitScript(() => {
      const w = window as unknown as { __sockets: string[]; __violations: string[] };
      w.__sockets = [];
      w.__violations = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          w.__sockets.push(String(url));
        }
      };
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.reload();

    // The contexts come from an engine call: the link works.
    const contexts = page.getByRole('listbox', { name: 'Cluster contexts' });
    await expect(contexts.getByRole('option')).toHaveCount(2);
    await expect(page.getByRole('status').filter({ hasText: 'Engine connected' })).toBeVisible();
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __sockets: string[]; __violations: string[] };
      // zod probes once whether it may compile validators with eval; the CSP says no, as intended.
      return { sockets: w.__sockets, violations: w.__violations.filter((v) => v !== 'script-src eval') };
    });
    expect(seen).toEqual({ sockets: [], violations: [] });
    expect(cspErrors).toEqual([]);

    const link = workers.find((u) => /\/assets\/engine-worker-[^/]+\.js$/.test(u));
    expect(link, `workers started: ${workers.join(', ')}`).toBeDefined();
    expect(link!.startsWith(app.origin)).toBe(true);
    // The worker's own policy (from its response) allows its socket to this server only, and no remote script.
    const csp = (await page.request.get(link!)).headers()['content-security-policy'] ?? '';
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`ws://127.0.0.1:${app.port}`);
    expect(csp).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
  });
});
