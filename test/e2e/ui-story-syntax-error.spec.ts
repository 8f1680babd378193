import { AppsV1Api } from '@kubernetes/client-node';
import { test, expect, saveScreenshot } from './fixtures';
import { testCluster } from '../support/cluster-target';
import { deleteNamespace, editorLines, freshNamespace, newFunction, replaceFileText, uniqueName } from './ui-helpers';

// Issue 5, story 3: a syntax error shows a marker at the right line and nothing is deployed.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

test('a syntax error is a marker on its line and nothing reaches the cluster', async ({ app, page }) => {
  test.setTimeout(180_000);
  void app;
  ns = await freshNamespace(page);
  const name = uniqueName('broken');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  await page.getByRole('tab', { name: 'handler.js' }).click();
  // Line 3 has an unclosed call.
  await replaceFileText(page, "module.exports.main = async (event) => {\n  const x = 1;\n  return JSON.stringify({ x ;\n};\n");
  await editorLines(page).click();
  await page.keyboard.press('Control+Enter');

  await expect(page.getByRole('tab', { name: 'Deploy' })).toHaveAttribute('aria-selected', 'true');
  // The first problem is where the call is left open: line 3 (the parser may add follow-on problems below it).
  await expect(page.getByRole('alert').filter({ hasText: 'Deploy failed' })).toContainText(/Not deployed: handler\.js:3:\d+/);
  const problem = page.getByRole('region', { name: 'Build problems' }).getByRole('button', { name: /^handler\.js:3:\d+$/ });
  await expect(problem).toBeVisible();
  await expect(page.getByRole('tab', { name: /handler\.js/ })).toContainText(/handler\.js\s*[1-9]/);

  // A squiggle sits on line 3 of the editor.
  const squiggles = page.locator('.editor-body .monaco-editor .squiggly-error');
  await expect(squiggles.first()).toBeVisible();
  const ln = await page.locator('.editor-body .monaco-editor .line-numbers').filter({ hasText: /^3$/ }).boundingBox();
  const centres = await squiggles.evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return r.y + r.height / 2; }));
  expect(centres.some((y) => Math.abs(y - (ln!.y + ln!.height / 2)) < ln!.height)).toBe(true);
  await problem.click();
  await saveScreenshot(page, 'ui-story-syntax-error');

  // Nothing was deployed: no Deployment in the namespace, and the list still says so.
  const deployments = await testCluster().kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: ns });
  expect(deployments.items.filter((d) => d.metadata?.labels?.['funcdeck.dev/function'] === name)).toHaveLength(0);
  await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).toContainText('not deployed');
});
