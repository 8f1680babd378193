import { test, expect, saveScreenshot } from './fixtures';

// Issue 8 §6: unknown spec fields are named, not silently dropped; function settings explain a bad
// value beside its field and never raise the browser's validation bubble.
test.use({ kubeconfig: 'two-contexts' });

test('the spec YAML names unknown fields; a bad timeout is explained beside its field', async ({ app, page }) => {
  void app;
  await page.getByRole('button', { name: 'Edit offline' }).click();
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('notes');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('tab', { name: 'Settings' }).click();

  const yaml = page.getByRole('textbox', { name: 'Function spec as YAML' });
  await yaml.fill(`${await yaml.inputValue()}lables:\n  team: a\nmemory: 1Gi\ntimout: 5\n`);
  await page.getByRole('button', { name: 'Apply YAML' }).click();
  const notes = page.getByRole('list', { name: 'Notes on the spec' });
  await expect(notes.getByRole('listitem')).toHaveText([
    'The spec has a field "lables" that Funcdeck does not know; it was ignored. (Did you mean "labels"?)',
    'The spec has a field "memory" that Funcdeck does not know; it was ignored. (Did you mean "size"? It sets memory and CPU.)',
    'The spec has a field "timout" that Funcdeck does not know; it was ignored. (Did you mean "timeoutSeconds"?)',
  ]);

  const timeout = page.getByRole('spinbutton', { name: 'Timeout (seconds)' });
  await timeout.fill('0');
  await timeout.press('Enter');
  await expect(page.locator('#err-timeoutSeconds')).toHaveText('Use at least 1 second.');
  // The form does not ask the browser to validate, so Enter raises no bubble.
  expect(await page.getByRole('form', { name: 'Function settings' }).evaluate((f: HTMLFormElement) => f.noValidate)).toBe(true);
  await saveScreenshot(page, 'ui-spec-settings-notes');
});
