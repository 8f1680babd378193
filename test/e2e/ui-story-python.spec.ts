import fs from 'node:fs';
import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, editorLines, freshNamespace, invoke, newFunction, uniqueName } from './ui-helpers';

// Issue 5, story 2: the same first steps with a Python function.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

test('new Python function → deploy → invoke → its log line', async ({ app, page }) => {
  test.setTimeout(240_000);
  void app;
  ns = await freshNamespace(page);
  const name = uniqueName('py');
  await newFunction(page, { runtime: 'Python', template: 'Hello world', name });
  await expect(page.getByRole('tab', { name: 'handler.py' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'requirements.txt' })).toBeVisible();
  await expect(editorLines(page)).toContainText('return "Hello, world!"');

  expect(await deployAndWait(page)).toBe(1);
  expect(await invoke(page)).toBe('Hello, world!');
  await page.getByRole('button', { name: /^request / }).click();
  await expect(page.getByRole('log', { name: `Logs of ${name}` })).toContainText(`hello from ${name}`, { timeout: 30_000 });
  await saveScreenshot(page, 'ui-story-python');

  // The filtered lines download as text.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
  const file = await download.path();
  expect(fs.readFileSync(file, 'utf8')).toContain(`hello from ${name}`);

  // A saved request comes back in the list; the call copies as curl through kubectl proxy.
  await page.getByRole('tab', { name: 'Invoke' }).click();
  await page.getByLabel('Path').fill('/greet');
  await page.getByRole('textbox', { name: 'Name to save the request as' }).fill('greet');
  await page.getByRole('button', { name: 'Save request' }).click();
  await expect(page.getByRole('combobox', { name: 'Saved requests' })).toContainText('greet');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.getByRole('button', { name: 'Copy as curl' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied the curl command' })).toBeVisible();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  expect(curl).toContain(`/namespaces/${ns}/services/${name}/proxy/greet`);
});
