import { test, expect, saveScreenshot } from './fixtures';
import { editorLines, newFunction, replaceFileText } from './ui-helpers';

// Issue 5, story 6: a draft survives a page reload, a cluster switch and an app restart (drafts are local, so this runs without a cluster),
// and leaving with unsaved changes asks first.
test.use({ kubeconfig: 'two-contexts' });

test('a saved draft survives a reload, a cluster switch and an app restart; unsaved edits are not lost silently', async ({ app, page }) => {
  void app;
  await page.getByRole('button', { name: 'Edit offline' }).click();
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name: 'drafty' });
  await page.getByRole('tab', { name: 'handler.js' }).click();
  await replaceFileText(page, "module.exports.main = async () => 'kept across reloads';\n");
  await expect(page.getByLabel('Unsaved changes')).toBeVisible();
  await page.keyboard.press('Control+S');
  await expect(page.getByLabel('Unsaved changes')).toBeHidden();

  await page.reload();
  await page.getByRole('button', { name: 'Edit offline' }).click();
  const item = page.getByRole('button', { name: /^drafty/ });
  await expect(item).toContainText('draft');
  await item.click();
  await expect(editorLines(page)).toContainText("'kept across reloads'");
  await saveScreenshot(page, 'ui-story-draft');

  // A cluster switch and back: the draft belongs to kind-alpha/default and is still there.
  const contexts = page.getByRole('listbox', { name: 'Cluster contexts' });
  await contexts.getByRole('option', { name: /minikube/ }).click();
  await expect(page.getByRole('heading', { name: 'Cannot reach the cluster "minikube"' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit offline' }).click();
  await expect(page.getByRole('button', { name: /^drafty/ })).toHaveCount(0);
  await contexts.getByRole('option', { name: /kind-alpha/ }).click();
  await page.getByRole('button', { name: 'Edit offline' }).click();
  await page.getByRole('button', { name: /^drafty/ }).click();
  await expect(editorLines(page)).toContainText("'kept across reloads'");

  // An app restart (the engine process stops and starts with the same data folder).
  await app.restart();
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Edit offline' }).click();
  await page.getByRole('button', { name: /^drafty/ }).click();
  await expect(editorLines(page)).toContainText("'kept across reloads'");

  // An unsaved edit, then an attempt to leave: the app asks.
  await replaceFileText(page, "module.exports.main = async () => 'not saved yet';\n");
  await page.getByRole('button', { name: 'New function' }).click();
  const ask = page.getByRole('dialog', { name: 'Unsaved changes' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(editorLines(page)).toContainText("'not saved yet'");
});
