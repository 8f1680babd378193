import { test, expect, saveScreenshot } from './fixtures';

// Issue 5: a user without permission gets a screen that says what is wrong and what to do. The user is
// real (a ServiceAccount with no RoleBinding on the dev cluster); the API server itself refuses.
test.use({ kubeconfig: 'no-permission' });

test('a context whose user may not list functions gets the no-permission screen', async ({ app, page }) => {
  void app;
  await expect(page.getByRole('heading', { name: /^No permission in "funcdeck-no-permission"$/ })).toBeVisible({ timeout: 20_000 });
  // The engine names the verb and the resource that were refused.
  const problem = page.getByRole('main').getByRole('alert');
  await expect(problem).toContainText(/You are not allowed to list \w+ in namespace "default"/);
  await expect(problem).toContainText(/Ask a cluster admin for RBAC permission to "list"/);
  // The sidebar says why no function is listed (never "Loading" forever).
  await expect(page.getByText('No permission to list functions here, so only local drafts are listed.')).toBeVisible();
  await expect(page.getByText('Loading functions…')).toHaveCount(0);
  await expect(page.getByRole('main').getByText(/Ask a cluster admin for those rights/)).toBeVisible();
  await saveScreenshot(page, 'ui-story-no-permission');
  // Checking again asks the cluster again and still says no (never a spinner forever).
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByRole('heading', { name: /^No permission in/ })).toBeVisible({ timeout: 20_000 });
});
