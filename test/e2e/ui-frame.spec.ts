import { test, expect, saveScreenshot } from './fixtures';
import { newFunction } from './ui-helpers';

// Issue 2: the app frame, the kubeconfig's contexts, Monaco, and the no-kubeconfig screen.

test.describe('frame with two contexts', () => {
  test.use({ kubeconfig: 'two-contexts' });

  test('lists both contexts, marks the current one, and Monaco takes typed text', async ({ app, page }) => {
    void app;
    const contexts = page.getByRole('listbox', { name: 'Cluster contexts' });
    await expect(contexts.getByRole('option')).toHaveCount(2);
    const alpha = contexts.getByRole('option').filter({ hasText: 'kind-alpha' });
    await expect(alpha).toContainText('current');
    await expect(alpha).toContainText('kind');
    await expect(alpha).toHaveAttribute('aria-selected', 'true');
    const mini = contexts.getByRole('option').filter({ hasText: 'minikube' });
    await expect(mini).not.toContainText('current');
    await expect(page.getByRole('status').filter({ hasText: 'Engine connected' })).toBeVisible();
    await expect(page.getByLabel('Current context')).toContainText('kind-alpha');

    // Its server is a closed port: the app says so instead of spinning.
    await expect(page.getByRole('heading', { name: 'Cannot reach the cluster "kind-alpha"' })).toBeVisible();
    await saveScreenshot(page, 'ui-frame-unreachable');

    await page.getByRole('button', { name: 'Edit offline' }).click();
    for (const tab of ['Invoke', 'Logs', 'Revisions', 'Metrics', 'Events']) {
      await expect(page.getByRole('tab', { name: tab })).toBeVisible();
    }
    // No function open: the start page; a new function opens in Monaco.
    await expect(page.getByRole('main', { name: 'Start' })).toBeVisible();
    await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name: 'typed-here' });
    const editor = page.getByRole('textbox', { name: /Editor for handler.js/ });
    await expect(editor).toBeAttached();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('const typedInE2e = 42;');
    await expect(page.locator('.monaco-editor .view-lines').first()).toContainText('const typedInE2e = 42;');
    await saveScreenshot(page, 'ui-frame');

    // Contexts by keyboard: arrows move, Enter picks.
    await alpha.focus();
    await page.keyboard.press('ArrowDown');
    await expect(mini).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(mini).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByLabel('Current context')).toContainText('minikube / apps');
  });

  test('Monaco is not in the first chunk and its workers are local', async ({ app, page }) => {
    const scripts = await page.locator('script[src]').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
    expect(scripts.length).toBe(1);
    const first = await (await page.request.get(scripts[0]!)).text();
    expect(first).not.toContain('monaco-editor');
    expect(first).not.toMatch(/MonacoEnvironment\b.*getWorker/);
    expect(scripts.every((s) => s.startsWith(app.origin))).toBe(true);
  });
});

test.describe('no kubeconfig', () => {
  test.use({ kubeconfig: 'none' });

  test('explains that there is no kubeconfig and how to get a cluster', async ({ app, page }) => {
    void app;
    await expect(page.getByRole('heading', { name: 'No kubeconfig found' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Kubeconfig problems' })).toContainText('File not found');
    await expect(page.getByText('kind create cluster')).toBeVisible();
    await expect(page.getByText('minikube start')).toBeVisible();
    await expect(page.getByText('npm run cluster:up').first()).toBeVisible();
    await saveScreenshot(page, 'ui-no-kubeconfig');
  });
});

test.describe('command palette and theme', () => {
  test.use({ kubeconfig: 'two-contexts' });

  test('Ctrl+Shift+P lists the actions and runs one; the theme follows the setting', async ({ app, page }) => {
    void app;
    await page.getByRole('button', { name: 'Edit offline' }).click();
    await page.keyboard.press('Control+Shift+P');
    const palette = page.getByRole('dialog', { name: 'Commands' });
    await expect(palette).toBeVisible();
    for (const action of ['New function', 'Save draft', 'Deploy function', 'Invoke function', 'Show Logs', 'Open settings', 'Switch context: minikube']) {
      await expect(palette.getByRole('option', { name: new RegExp(`^${action}`) })).toBeVisible();
    }
    await palette.getByRole('combobox', { name: 'Type a command' }).fill('theme dark');
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await saveScreenshot(page, 'ui-frame-pinned-dark');
    await page.keyboard.press('Control+Shift+P');
    await page.getByRole('combobox', { name: 'Type a command' }).fill('theme system');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);
  });
});

test.describe('new function dialog', () => {
  test.use({ kubeconfig: 'two-contexts' });

  test('checks the name as it is typed and offers templates per runtime', async ({ app, page }) => {
    void app;
    await page.getByRole('button', { name: 'Edit offline' }).click();
    await page.getByRole('button', { name: 'New function' }).click();
    const dialog = page.getByRole('dialog', { name: 'New function' });
    for (const t of ['Hello world', 'JSON echo', 'HTTP with query and headers']) await expect(dialog.getByRole('radio', { name: new RegExp(t) })).toBeVisible();
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await name.fill('Bad_Name');
    await expect(dialog.getByRole('alert')).toContainText('lowercase letters');
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeVisible();
    await name.fill('good-name');
    await expect(name).toHaveAttribute('aria-invalid', 'false');
    await dialog.getByRole('radio', { name: 'Python' }).check();
    await expect(dialog.getByRole('radio', { name: /Hello world/ })).toBeChecked();
    await saveScreenshot(page, 'ui-new-function-dialog');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('tab', { name: 'handler.py' })).toBeVisible();
  });
});
