import { test, expect, SECOND_DEV_CONTEXT } from './fixtures';
import { deleteNamespace, freshNamespace, newFunction, uniqueName } from './ui-helpers';
import type { Page } from '@playwright/test';

// Nothing of one cluster may show up in another: a function still opening when the user switches
// context must not land in the new context's editor (where Deploy would write it to that cluster).

const contexts = (page: Page) => page.getByRole('listbox', { name: 'Cluster contexts' });

test.describe('two contexts on the dev cluster', () => {
  test.use({ kubeconfig: 'dev-cluster-twice' });
  let ns: string | undefined;
  test.afterEach(async () => deleteNamespace(ns));

  test('a function whose opening is answered after a context switch does not open in the new context', async ({ app, page }) => {
    test.setTimeout(180_000);
    void app;
    // The engine's answers to opening `slow` are held until the switch is done. Without a worker the
    // page owns the engine's WebSocket, so the test can sit in the middle of it.
    const slow = uniqueName('slow');
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let delivered = 0;
    await page.addInitScript(() => delete (window as { Worker?: unknown }).Worker);
    await page.routeWebSocket(/\/api\?token=/, (ws) => {
      const server = ws.connectToServer();
      const held = new Set<string>();
      ws.onMessage((m) => {
        const msg = JSON.parse(String(m)) as { type: string; id: string; method?: string; params?: { name?: string } };
        if (msg.type === 'call' && (msg.method === 'functions.get' || msg.method === 'drafts.get') && msg.params?.name === slow) held.add(msg.id);
        server.send(m);
      });
      server.onMessage((m) => {
        const msg = JSON.parse(String(m)) as { id?: string };
        if (msg.id && held.has(msg.id)) void released.then(() => (ws.send(m), delivered++));
        else ws.send(m);
      });
    });
    await page.reload();

    const a = contexts(page).getByRole('option', { name: /^funcdeck-dev[ ,]/ });
    const b = contexts(page).getByRole('option', { name: new RegExp(`^${SECOND_DEV_CONTEXT}[ ,]`) });
    await a.click();
    await expect(a).toHaveAttribute('aria-selected', 'true');
    ns = await freshNamespace(page, 'fd-e2e-race');
    await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name: slow });
    const other = uniqueName('other');
    await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name: other });

    // Open `slow` (its answers held), switch to B, then let the answers through.
    await page.getByRole('button', { name: new RegExp(`^${slow}`) }).click();
    await b.click();
    await expect(b).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('combobox', { name: 'Namespace' })).toHaveValue('default');
    release();

    // B's start page stays; A's function is not in B's editor (nor kept as B's place).
    await expect.poll(() => delivered).toBe(2);
    // Handled by the page by the time it has drawn twice more.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await expect(page.getByRole('heading', { level: 1, name: slow })).toHaveCount(0);
    await expect(page.getByRole('main', { name: 'Start' })).toBeVisible();

    // A still has it: back there, it opens as usual.
    await a.click();
    await expect(page.getByRole('combobox', { name: 'Namespace' })).toHaveValue(ns);
    await page.getByRole('button', { name: new RegExp(`^${slow}`) }).click();
    await expect(page.getByRole('heading', { level: 1, name: slow })).toBeVisible();
  });
});
