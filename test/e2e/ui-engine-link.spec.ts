import { test, expect } from './fixtures';

// Issue 9 (the logs flood): in browser mode a worker owns the engine's WebSocket and, once it has
// loaded the contract's validators, parses and validates every message; the page gets checked data.
// The Content-Security-Policy lets that worker (and its socket, and its second chunk) run.

test.describe('engine link', () => {
  test.use({ kubeconfig: 'two-contexts' });

  test('the page opens no socket and, once the worker has taken over, parses no engine message; the worker is the app’s own, within the CSP', async ({ app, page }) => {
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    // From the first script on: sockets the page opens, engine messages parsed on its thread, CSP violations.
    await page.addInitScript(() => {
      const w = window as unknown as { __sockets: string[]; __parsed: string[]; __violations: string[] };
      w.__sockets = [];
      w.__parsed = [];
      w.__violations = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          w.__sockets.push(String(url));
        }
      };
      const parse = JSON.parse;
      JSON.parse = function (text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) {
        if (typeof text === 'string' && text.startsWith('{"type":"')) w.__parsed.push(text.slice(0, 60));
        return parse.call(JSON, text, reviver) as unknown;
      };
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.reload();

    const contexts = page.getByRole('listbox', { name: 'Cluster contexts' });
    await expect(contexts.getByRole('option')).toHaveCount(2);
    // The worker has taken over (the first replies were decoded on the page, so the first paint did not wait for the validators).
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('funcdeck:engine-link-worker').length), { timeout: 30_000 }).toBe(1);
    await page.evaluate(() => ((window as unknown as { __parsed: string[] }).__parsed = []));

    // Engine traffic: selecting the other context is a call, and its streams start again.
    await contexts.getByRole('option').filter({ hasText: 'minikube' }).click();
    await expect(page.getByLabel('Current context')).toContainText('minikube / apps');
    await expect(page.getByRole('heading', { name: 'Cannot reach the cluster "minikube"' })).toBeVisible();
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __sockets: string[]; __parsed: string[]; __violations: string[] };
      // zod probes once whether it may compile validators with eval; the CSP says no, as intended.
      return { sockets: w.__sockets, parsed: w.__parsed, violations: w.__violations.filter((v) => v !== 'script-src eval') };
    });
    expect(seen).toEqual({ sockets: [], parsed: [], violations: [] });
    expect(cspErrors).toEqual([]);

    const link = workers.find((u) => /\/assets\/engine-worker-[^/]+\.js$/.test(u));
    expect(link, `workers started: ${workers.join(', ')}`).toBeDefined();
    expect(link!.startsWith(app.origin)).toBe(true);
    // Its response carries the same policy: scripts from the app itself only, a socket to this server only.
    const csp = (await page.request.get(link!)).headers()['content-security-policy'] ?? '';
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`ws://127.0.0.1:${app.port}`);
    expect(csp).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/);
  });
});
