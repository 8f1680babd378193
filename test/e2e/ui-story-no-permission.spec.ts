import { test, expect, saveScreenshot } from './fixtures';

// Issue 5: a user without permission gets a screen that says what is wrong and what to do. The user is
// real (a ServiceAccount with no RoleBinding on the dev cluster); the API server itself refuses.
test.use({ kubeconfig: 'no-permission' });

test('a context whose user may not list functions gets the no-permission screen', async ({ app, page }) => {
  void app;
  await expect(page.getByRole('heading', { name: /^No permission in "funcdeck-no-permission"$/ })).toBeVisible({ timeout: 20_000 });
  // The engine names the verb and the resource that were refused.
  await expect(page.getByRole('alert')).toContainText(/list/i);
  await expect(page.getByRole('alert')).toContainText(/deployments|configmaps|services|pods/i);
  await expect(page.getByText(/Ask a cluster admin/)).toBeVisible();
  await saveScreenshot(page, 'ui-story-no-permission');
  // Checking again asks the cluster again and still says no (never a spinner forever).
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByRole('heading', { name: /^No permission in/ })).toBeVisible({ timeout: 20_000 });
});
