import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, freshNamespace, invoke, newFunction, replaceFileText, uniqueName } from './ui-helpers';

// Issue 12: a Secret created from the function's settings, its value masked and revealed on demand,
// used as environment variables by the function; the value is never in the app's data folder.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

function filesHolding(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (fs.readFileSync(p).includes(Buffer.from(needle))) hits.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return hits;
}

test('create a Secret in the settings, masked, revealed on demand, read by the function, never stored locally', async ({ app, page }) => {
  test.setTimeout(180_000);
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  await expect(ctx).toHaveAttribute('aria-selected', 'true');
  ns = await freshNamespace(page);
  const name = uniqueName('sec');
  const value = `e2e-${crypto.randomBytes(10).toString('hex')}`;
  const hash = crypto.createHash('sha256').update(value).digest('hex').slice(0, 16);

  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  await page.getByRole('tab', { name: 'handler.js' }).click();
  await replaceFileText(
    page,
    "const { createHash } = require('node:crypto');\nmodule.exports.main = async () => 'sha ' + createHash('sha256').update(process.env.password || '').digest('hex').slice(0, 16);\n",
  );

  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'New Secret' }).click();
  const editor = page.getByRole('region', { name: 'New Secret' });
  await editor.getByLabel('Secret name').fill(`${name}-creds`);
  await editor.getByRole('textbox', { name: 'Secret key 1' }).fill('password');
  const field = editor.getByLabel('Value of password', { exact: true });
  await field.fill(value);
  await expect(field).toHaveAttribute('type', 'password');
  await saveScreenshot(page, 'ui-interop-secret-new');
  await editor.getByRole('button', { name: 'Save Secret' }).click();
  const list = page.getByRole('list', { name: 'Secrets of this function' });
  await expect(list).toContainText(`${name}-creds`);
  await expect(list).toContainText('password');

  // Editing shows no value until asked.
  await page.getByRole('button', { name: `Edit Secret ${name}-creds` }).click();
  const edit = page.getByRole('region', { name: `Secret ${name}-creds` });
  await expect(edit.getByLabel('Value of password', { exact: true })).toHaveValue('');
  await expect(edit.getByLabel('Value of password', { exact: true })).toHaveAttribute('placeholder', /unchanged/);
  await edit.getByRole('button', { name: 'Reveal value of password' }).click();
  await expect(edit.getByLabel('Value of password', { exact: true })).toHaveValue(value);
  await expect(edit.getByLabel('Value of password', { exact: true })).toHaveAttribute('type', 'text');
  await edit.getByRole('button', { name: 'Hide value of password' }).click();
  await expect(edit.getByLabel('Value of password', { exact: true })).toHaveAttribute('type', 'password');
  await edit.getByRole('button', { name: 'Cancel' }).click();

  // The function reads it as variables: the spec gets a reference, never the value.
  await page.getByRole('button', { name: `Use Secret ${name}-creds as variables` }).click();
  await expect(page.getByRole('group', { name: 'Value source 1' }).getByLabel('Source 1 name')).toHaveValue(`${name}-creds`);
  await expect(page.getByRole('textbox', { name: 'Function spec as YAML' })).toHaveValue(new RegExp(`envFrom:\\n\\s+- from: secret\\n\\s+name: ${name}-creds`));
  await page.getByRole('group', { name: 'Value source 1' }).scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'ui-interop-secret-settings');
  await page.keyboard.press('Control+S');
  await expect(page.getByLabel('Unsaved changes')).toBeHidden();
  // The saved draft names the Secret and holds no value.
  expect(filesHolding(app.dataDir, `${name}-creds`).length).toBeGreaterThan(0);
  expect(filesHolding(app.dataDir, value)).toEqual([]);

  await page.getByRole('tab', { name: 'handler.js' }).click();
  expect(await deployAndWait(page)).toBe(1);
  expect(await invoke(page)).toBe(`sha ${hash}`);

  // Dark theme, for the screenshot of the same settings.
  await page.keyboard.press('Control+Shift+P');
  await page.getByRole('dialog', { name: 'Commands' }).getByRole('combobox', { name: 'Type a command' }).fill('theme dark');
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: `Edit Secret ${name}-creds` }).click();
  await expect(page.getByRole('region', { name: `Secret ${name}-creds` })).toBeVisible();
  await page.getByRole('button', { name: 'Save Secret' }).scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'ui-interop-secret-settings-dark');

  // History, logs and settings in the data folder (the draft went with the deploy): no value anywhere.
  expect(filesHolding(app.dataDir, name).length).toBeGreaterThan(0);
  expect(filesHolding(app.dataDir, value)).toEqual([]);
  expect(filesHolding(app.dataDir, Buffer.from(value).toString('base64'))).toEqual([]);
});
