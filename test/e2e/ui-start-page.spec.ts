import { test, expect, saveScreenshot } from './fixtures';

// Issue 9, small things: the unreachable screen's advice said once with commands to copy; a start
// page instead of a scratch editor; a palette that shows how many commands it holds.
test.use({ kubeconfig: 'two-contexts' });

test('the unreachable screen says its advice once and gives each command as code with a copy button', async ({ app, page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  const screen = page.getByRole('main');
  await expect(screen.getByRole('heading', { name: 'Cannot reach the cluster "kind-alpha"' })).toBeVisible();
  await expect(screen.getByText(/Is the cluster running\?/)).toHaveCount(1);
  expect(await screen.textContent()).not.toContain('`');
  const copy = screen.getByRole('button', { name: 'Copy kind create cluster' });
  await expect(screen.locator('code', { hasText: /^kind create cluster$/ })).toBeVisible();
  await copy.click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('kind create cluster');
  // Said politely, then gone.
  const note = screen.getByRole('status').filter({ hasText: 'Copied kind create cluster.' });
  await expect(note).toBeVisible();
  await saveScreenshot(page, 'ui-unreachable-advice');
  await expect(note).toBeHidden({ timeout: 15_000 });
});

test('first run shows a start page: templates, recent functions and the cluster, never a scratch editor', async ({ app, page }) => {
  void app;
  await page.getByRole('button', { name: 'Edit offline' }).click();
  const start = page.getByRole('main', { name: 'Start' });
  await expect(start.getByRole('heading', { level: 1, name: 'Start' })).toBeVisible();
  await expect(page.getByText('Scratch')).toHaveCount(0);
  await expect(start.getByRole('region', { name: 'Cluster' })).toContainText('kind-alpha');
  await expect(start.getByRole('region', { name: 'Cluster' })).toContainText('default');
  await expect(start.getByRole('region', { name: 'Recent functions' })).toContainText('No function opened here yet.');
  await saveScreenshot(page, 'ui-start-page');

  await start.getByRole('button', { name: 'Create a Python function from Hello world' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await expect(dialog.getByRole('radio', { name: 'Python' })).toBeChecked();
  await expect(dialog.getByRole('radio', { name: /Hello world/ })).toBeChecked();
  await dialog.getByRole('textbox', { name: 'Name' }).fill('first-fn');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'first-fn' })).toBeVisible();

  // Closed from the palette: the start page lists it under recent functions.
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Commands' });
  await expect(palette.getByRole('status')).toHaveText(/^\d+ commands$/);
  for (const c of ['Switch namespace: default', 'Close function', 'Show traffic']) await expect(palette.getByRole('option', { name: new RegExp(`^${c}`) })).toBeAttached();
  await palette.getByRole('combobox', { name: 'Type a command' }).fill('close function');
  await expect(palette.getByRole('status')).toHaveText('1 command');
  await page.keyboard.press('Enter');
  await expect(start.getByRole('region', { name: 'Recent functions' }).getByRole('button', { name: /^first-fn/ })).toBeVisible();
  await start.getByRole('region', { name: 'Recent functions' }).getByRole('button', { name: /^first-fn/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'first-fn' })).toBeVisible();
});

test('the palette shows how many commands it holds and scrolls the chosen one into view', async ({ app, page }) => {
  void app;
  await page.getByRole('button', { name: 'Edit offline' }).click();
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Commands' });
  const count = Number(/^(\d+) commands$/.exec((await palette.getByRole('status').textContent()) ?? '')?.[1]);
  expect(count).toBeGreaterThan(16);
  await expect(palette.getByRole('option')).toHaveCount(count);
  for (let i = 1; i < count; i++) await page.keyboard.press('ArrowDown');
  await expect(palette.getByRole('option').last()).toHaveAttribute('aria-selected', 'true');
  await expect(palette.getByRole('option').last()).toBeInViewport();
  await saveScreenshot(page, 'ui-palette');
});
