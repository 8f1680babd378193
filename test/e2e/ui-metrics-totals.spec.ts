import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, freshNamespace, invoke, newFunction, uniqueName } from './ui-helpers';

// Issue 8 §4: the metrics panel shows the calls since the pods started, including calls made
// right after the deploy, before the Metrics tab was opened.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

test('deploy, invoke 3 times, open Metrics: the totals say 3 calls, in light and dark', async ({ app, page }) => {
  test.setTimeout(240_000);
  void app;
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  await expect(ctx).toHaveAttribute('aria-selected', 'true');
  ns = await freshNamespace(page);
  const name = uniqueName('totals');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  expect(await deployAndWait(page)).toBe(1);
  for (let i = 0; i < 3; i++) expect(await invoke(page)).toBe('Hello, world!');

  await page.getByRole('tab', { name: 'Metrics' }).click();
  const totals = page.getByRole('figure', { name: 'Since the pods started' });
  await expect(totals).toContainText('3 calls', { timeout: 30_000 });
  await expect(totals).toContainText('0 errors (5xx)');
  await expect(page.getByLabel('Metrics summary')).toContainText(/^3 requests in the last/);
  await saveScreenshot(page, 'ui-metrics-totals');

  // One revision chosen: its own totals.
  await page.getByRole('combobox', { name: 'Revision to chart' }).selectOption('1');
  await expect(page.getByRole('figure', { name: 'Revision 1 since its pods started' })).toContainText('3 calls');

  await page.keyboard.press('Control+Shift+P');
  await page.getByRole('combobox', { name: 'Type a command' }).fill('theme dark');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
