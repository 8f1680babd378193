import type { Page } from '@playwright/test';
import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, freshNamespace, invoke, invokeUntil, newFunction, replaceFileText, uniqueName } from './ui-helpers';

// Issue 10's story: two revisions split 50/50 (40 invokes show both answers); a tag reaches its
// revision while 0/100 sends every other call to the new one. Light and dark screenshots.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

async function setTheme(page: Page, theme: 'dark' | 'light') {
  await page.keyboard.press('Control+Shift+P');
  await page.getByRole('combobox', { name: 'Type a command' }).fill(`theme ${theme}`);
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test('two revisions 50/50, then 0/100 with a tag on the old one', async ({ app, page }) => {
  test.setTimeout(420_000);
  void app;
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  ns = await freshNamespace(page);
  const name = uniqueName('split');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  expect(await deployAndWait(page)).toBe(1);
  await replaceFileText(page, "module.exports.main = async () => 'Hello, v2!';\n");
  expect(await deployAndWait(page)).toBe(2);
  await invokeUntil(page, /^Hello, v2!$/);

  // 50/50: raising revision 1 to 50 takes it from revision 2, so the total stays 100.
  await page.keyboard.press('Control+Shift+P');
  await page.getByRole('combobox', { name: 'Type a command' }).fill('traffic');
  await page.keyboard.press('Enter');
  const traffic = page.getByRole('region', { name: 'Traffic' });
  await expect(traffic.getByLabel('Traffic to revision 2 (percent)')).toHaveValue('100');
  await traffic.getByLabel('Traffic to revision 1 (percent)').fill('50');
  await expect(traffic.getByLabel('Traffic to revision 2 (percent)')).toHaveValue('50');
  await expect(traffic.getByLabel('Total share')).toHaveText('Total 100%');
  await traffic.getByRole('button', { name: 'Apply traffic' }).click();
  await expect(traffic.getByRole('status').filter({ hasText: 'Traffic applied' })).toBeVisible({ timeout: 120_000 });
  await expect(traffic).toContainText('Through the namespace gateway: traffic is split');
  await expect(page.getByRole('table', { name: 'Revisions' }).getByRole('row', { name: 'Revision 1' })).toContainText('50%');
  await saveScreenshot(page, 'ui-traffic-split-light');
  await setTheme(page, 'dark');
  await saveScreenshot(page, 'ui-traffic-split-dark');
  await setTheme(page, 'light');

  const answers = new Set<string>();
  for (let i = 0; i < 40; i++) answers.add(await invoke(page));
  expect([...answers].sort()).toEqual(['Hello, v2!', 'Hello, world!']);

  // 0/100 with the tag "old" on revision 1: plain calls reach only revision 2, the tag reaches revision 1.
  await page.getByRole('tab', { name: 'Revisions' }).click();
  await traffic.getByLabel('Traffic to revision 2 (percent)').fill('100');
  await expect(traffic.getByLabel('Traffic to revision 1 (percent)')).toHaveValue('0');
  await traffic.getByLabel('Tags of revision 1').fill('old');
  await traffic.getByRole('button', { name: 'Apply traffic' }).click();
  await expect(traffic.getByRole('status').filter({ hasText: 'Traffic applied' })).toBeVisible({ timeout: 60_000 });
  await expect(traffic.getByLabel('Tags of revision 1')).toHaveValue('old');
  for (let i = 0; i < 10; i++) expect(await invoke(page)).toBe('Hello, v2!');

  await page.getByRole('tab', { name: /^Headers/ }).click();
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByLabel('Header 1 name').fill('x-funcdeck-tag');
  await page.getByLabel('Header 1 value').fill('old');
  expect(await invoke(page)).toBe('Hello, world!');
  await saveScreenshot(page, 'ui-traffic-tag-invoke-light');

  // The gateway's state and log are one click away.
  await page.getByRole('tab', { name: 'Revisions' }).click();
  await expect(traffic.getByLabel('Gateway state')).toContainText(/Gateway ready, version [0-9a-f]{12}, 1\/1 pod ready/, { timeout: 30_000 });
  await traffic.getByRole('button', { name: 'Show gateway log' }).click();
  await expect(traffic.getByRole('log', { name: 'Gateway log' })).toContainText(`serving ${name} on port`);
  await saveScreenshot(page, 'ui-traffic-tag-light');
  await setTheme(page, 'dark');
  await saveScreenshot(page, 'ui-traffic-tag-dark');
});

test('minimum 0 in the settings: after the idle grace the function scales to zero, and the next call is marked as a cold start', async ({ app, page }) => {
  test.setTimeout(300_000);
  void app;
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  ns = await freshNamespace(page);
  const name = uniqueName('sleepy');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('spinbutton', { name: 'Minimum pods' }).fill('0');
  const grace = page.getByRole('spinbutton', { name: 'Scale to zero after (s idle)' });
  await expect(grace).toBeEnabled();
  await grace.fill('5');
  await saveScreenshot(page, 'ui-scale-to-zero-settings-light');
  await setTheme(page, 'dark');
  await saveScreenshot(page, 'ui-scale-to-zero-settings-dark');
  await setTheme(page, 'light');
  await page.getByRole('tab', { name: 'handler.js' }).click();
  expect(await deployAndWait(page)).toBe(1);

  // The metrics sampler reads the gateway's cold-start counts from the first sample on.
  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).toContainText(/scaled to zero/i, { timeout: 120_000 });
  expect(await invoke(page)).toBe('Hello, world!');
  await expect(page.getByLabel('Cold start')).toHaveText(/^cold start \d/);
  await saveScreenshot(page, 'ui-cold-start-invoke-light');
  await setTheme(page, 'dark');
  await saveScreenshot(page, 'ui-cold-start-invoke-dark');
  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByLabel('Metrics summary')).toContainText(/1 cold start \(mean \d+ ms\)/, { timeout: 60_000 });
  await saveScreenshot(page, 'ui-cold-start-metrics-dark');
});
