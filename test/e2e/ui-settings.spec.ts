import { test, expect, saveScreenshot } from './fixtures';
import { testCluster } from '../support/cluster-target';

// Issue 8 §7: the runtime images of the selected context in Settings: detected on the dev cluster,
// set per context, reset to detected; errors beside the field, in words, never a browser bubble.
test.use({ kubeconfig: 'dev-cluster-detected' });

test('Settings shows the detected images of the context, takes one set for it, and resets to detected', async ({ app, page }) => {
  void app;
  const cluster = testCluster();
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: new RegExp(cluster.context) });
  await ctx.click();
  await expect(ctx).toHaveAttribute('aria-selected', 'true');

  const open = async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect(dialog.getByRole('group', { name: `Runtime images for context ${cluster.context}` })).toBeVisible();
    return dialog;
  };
  let dialog = await open();
  const node = dialog.getByRole('textbox', { name: 'Node.js image', exact: true });
  await expect(dialog).toContainText(`Found ${cluster.images.nodejs} and ${cluster.images.python} on this cluster's nodes.`);
  await expect(node).toHaveValue('');
  await expect(node).toHaveAccessibleDescription(`Uses ${cluster.images.nodejs}, detected on this cluster.`);
  await saveScreenshot(page, 'ui-settings-detected');

  // Wrong values: each error beside its field, the dialog stays open, nothing saved.
  await node.fill('Not An Image');
  const keep = dialog.getByRole('textbox', { name: 'Revisions to keep' });
  await keep.fill('0');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(node).toHaveAttribute('aria-invalid', 'true');
  await expect(node).toHaveAccessibleDescription(/Use an image reference such as node:22-alpine/);
  await expect(keep).toHaveAccessibleDescription('Keep at least 1 revision.');
  await expect(node).toBeFocused();
  expect(await keep.evaluate((el: HTMLInputElement) => el.validationMessage)).toBe('');
  await saveScreenshot(page, 'ui-settings-errors');
  // The default namespace too: in words, beside it.
  const defaultNs = dialog.getByRole('textbox', { name: 'Default namespace' });
  await defaultNs.fill('Team_A');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(defaultNs).toHaveAttribute('aria-invalid', 'true');
  await expect(defaultNs).toHaveAccessibleDescription('Use lowercase letters, digits and "-", starting and ending with a letter or digit.');
  await defaultNs.fill('default');

  // A valid image for this context: saved, and shown as set for it.
  await node.fill('node:22-alpine');
  await keep.fill('5');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog).toBeHidden();
  dialog = await open();
  await expect(node).toHaveValue('node:22-alpine');
  await expect(node).toHaveAccessibleDescription('Uses node:22-alpine, set for this context.');
  await expect(dialog.getByRole('textbox', { name: 'Python image', exact: true })).toHaveAccessibleDescription(`Uses ${cluster.images.python}, detected on this cluster.`);

  // Back to the detected image.
  await dialog.getByRole('button', { name: 'Use the detected Node.js image' }).click();
  await expect(node).toHaveAccessibleDescription(`Uses ${cluster.images.nodejs}, detected on this cluster.`);
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog).toBeHidden();
  await open();
  await expect(node).toHaveValue('');
  await expect(node).toHaveAccessibleDescription(`Uses ${cluster.images.nodejs}, detected on this cluster.`);
});
