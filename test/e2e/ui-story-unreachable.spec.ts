import { test, expect, saveScreenshot } from './fixtures';

// Issue 5, story 5: no reachable cluster shows the guidance screen (never a blank or an endless spinner).
test.use({ kubeconfig: 'unreachable' });

test('an unreachable cluster gets a screen that says what is wrong and what to do', async ({ app, page }) => {
  void app;
  await expect(page.getByRole('heading', { name: /^Cannot reach the cluster "kind-alpha"$/ })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('alert')).toContainText('127.0.0.1:1');
  await expect(page.getByText('kind create cluster')).toBeVisible();
  await expect(page.getByText('minikube start')).toBeVisible();
  await expect(page.getByText('npm run cluster:up', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Current context')).toContainText('unreachable');
  await saveScreenshot(page, 'ui-story-unreachable');

  // The other context is just as unreachable: switching says so too.
  await page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /kind-beta/ }).click();
  await expect(page.getByRole('heading', { name: /^Cannot reach the cluster "kind-beta"$/ })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByRole('heading', { name: /^Cannot reach the cluster "kind-beta"$/ })).toBeVisible();
});
