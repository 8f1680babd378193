import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, editorLines, freshNamespace, invoke, invokeUntil, replaceFileText, uniqueName } from './ui-helpers';

// Issue 11 in the UI, on the real dev cluster: a TypeScript function's packages installed on this
// computer (the lockfile appears among its files, Monaco knows their types), deployed, then edited in
// Live mode: saving pushes the code into the running pod, the next call answers with it, and the
// function is marked live-edited until Deploy makes a revision of it. Light and dark screenshots.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

async function theme(page: import('@playwright/test').Page, which: 'dark' | 'light') {
  await page.keyboard.press('Control+Shift+P');
  await page.getByRole('combobox', { name: 'Type a command' }).fill(`theme ${which}`);
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', which);
}

test('packages: install, lockfile, types in the editor; Live: save -> the next call runs it, then Deploy', async ({ app, page }) => {
  test.setTimeout(360_000);
  void app;
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  ns = await freshNamespace(page);

  const name = uniqueName('typed');
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByRole('radio', { name: 'Node.js' }).check();
  await dialog.getByRole('radio', { name: 'TypeScript' }).check();
  await dialog.getByRole('radio', { name: /Hello world/ }).first().check();
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  await page.getByRole('tab', { name: 'package.json' }).click();
  await replaceFileText(page, '{ "dependencies": { "ms": "2.1.3" }, "devDependencies": { "@types/ms": "2.1.0" } }\n');
  await page.getByRole('tab', { name: 'handler.ts' }).click();
  await replaceFileText(page, "import ms from 'ms';\n\nexport async function main(): Promise<string> {\n  return 'Hello ' + ms('1m');\n}\n");

  // Not installed yet: install them here, without deploying.
  const packages = page.getByRole('status', { name: 'Packages' });
  await expect(packages).toContainText('not installed on this computer yet', { timeout: 30_000 });
  await packages.getByRole('button', { name: 'Install packages' }).click();
  await expect(packages).toContainText('1 package installed on this computer · types for the editor', { timeout: 120_000 });
  // The lockfile the install wrote is one of the function's files now.
  await page.getByRole('tab', { name: 'package-lock.json' }).click();
  await expect(editorLines(page)).toContainText('"lockfileVersion": 3');
  await saveScreenshot(page, 'ui-deps-lockfile-light');
  await theme(page, 'dark');
  await saveScreenshot(page, 'ui-deps-lockfile-dark');
  await theme(page, 'light');

  // Monaco knows the package's types: hovering ms shows its declaration from @types/ms.
  await page.getByRole('tab', { name: 'handler.ts' }).click();
  await editorLines(page).getByText('ms', { exact: true }).last().hover();
  await expect(page.locator('.monaco-hover').filter({ hasText: /function ms\(/ })).toBeVisible({ timeout: 30_000 });
  await saveScreenshot(page, 'ui-deps-hover-light');

  expect(await deployAndWait(page)).toBe(1);
  expect(await invoke(page)).toBe('Hello 60000');

  // Live: the toggle pushes the editor's code at once; each save pushes again.
  const toggle = page.getByRole('button', { name: 'Live', exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const bar = page.getByRole('region', { name: 'Live update' });
  await expect(bar).toContainText('Saved code runs in 1 pod of revision 1', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'handler.ts' }).click();
  await replaceFileText(page, "import ms from 'ms';\n\nexport async function main(): Promise<string> {\n  return 'Live ' + ms('1m');\n}\n");
  await page.keyboard.press('Control+S');
  await expect(bar).toContainText(/pushed in \d+ ms/);
  await invokeUntil(page, /^Live 60000$/, 30_000);
  const badge = page.getByText('Live-edited (not a revision)');
  await expect(badge).toBeVisible();
  await page.getByRole('tab', { name: 'Revisions' }).click();
  await expect(page.getByRole('table', { name: 'Revisions' }).getByRole('row', { name: 'Revision 1' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Revisions' }).getByRole('row', { name: 'Revision 2' })).toHaveCount(0);
  await saveScreenshot(page, 'ui-live-on-light');
  await theme(page, 'dark');
  await saveScreenshot(page, 'ui-live-on-dark');
  await theme(page, 'light');

  // Deploy makes the live code a revision; the function is no longer live-edited.
  expect(await deployAndWait(page)).toBe(2);
  await expect(badge).toBeHidden({ timeout: 30_000 });
  await invokeUntil(page, /^Live 60000$/);
});

test('Python: installed packages complete after import', async ({ app, page }) => {
  test.setTimeout(180_000);
  void app;
  await page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ }).click();
  ns = await freshNamespace(page);
  const name = uniqueName('pyimports');
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByRole('radio', { name: 'Python' }).check();
  await dialog.getByRole('radio', { name: /Hello world/ }).first().check();
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('tab', { name: 'requirements.txt' }).click();
  await replaceFileText(page, 'six==1.16.0\nmarkupsafe==2.1.5\n');
  const packages = page.getByRole('status', { name: 'Packages' });
  await packages.getByRole('button', { name: 'Install packages' }).click({ timeout: 30_000 });
  await expect(packages).toContainText('2 packages installed on this computer · import names complete', { timeout: 120_000 });
  await expect(page.getByRole('tab', { name: 'requirements.lock' })).toBeVisible();
  await page.getByRole('tab', { name: 'handler.py' }).click();
  await editorLines(page).click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('import mark');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget').getByText('markupsafe')).toBeVisible({ timeout: 15_000 });
  await saveScreenshot(page, 'ui-deps-python-imports-light');
});

test('Settings: type errors stop deploys only when asked', async ({ app, page }) => {
  void app;
  await page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ }).click();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const box = dialog.getByRole('checkbox', { name: /TypeScript type errors stop a deploy/ });
  await expect(box).not.toBeChecked();
  await box.check();
  await saveScreenshot(page, 'ui-settings-type-errors-light');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await theme(page, 'dark');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByRole('checkbox', { name: /TypeScript type errors stop a deploy/ })).toBeChecked();
  await saveScreenshot(page, 'ui-settings-type-errors-dark');
});
