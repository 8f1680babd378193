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
});
