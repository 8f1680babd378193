import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, editorLines, freshNamespace, invoke, invokeUntil, newFunction, replaceFileText, uniqueName } from './ui-helpers';

// Issue 5, story 1: the whole Node.js story as a new user would do it, against the real dev cluster.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

test('new Node.js function → deploy → invoke → logs → edit → revision 2 → roll back → metrics', async ({ app, page }) => {
  test.setTimeout(360_000);
  void app;
  // Pick the context (the dev cluster's), then a namespace of our own.
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  await expect(ctx).toHaveAttribute('aria-selected', 'true');
  ns = await freshNamespace(page);

  const name = uniqueName('hello');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  await expect(editorLines(page)).toContainText("return 'Hello, world!'");
  await saveScreenshot(page, 'ui-story-node-new');

  expect(await deployAndWait(page)).toBe(1);
  await saveScreenshot(page, 'ui-story-node-deployed');
  await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).toContainText('Ready');

  expect(await invoke(page)).toBe('Hello, world!');
  await saveScreenshot(page, 'ui-story-node-invoked');

  // Kubernetes events of its objects (the pod was scheduled and started).
  await page.getByRole('tab', { name: 'Events' }).click();
  await expect(page.getByRole('table', { name: 'Events' })).toContainText(/Scheduled|Started|SuccessfulCreate/);
  await saveScreenshot(page, 'ui-story-node-events');

  // The call's request id leads to its log line.
  await page.getByRole('tab', { name: 'Invoke' }).click();
  await page.getByRole('button', { name: /^request / }).click();
  await expect(page.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('log', { name: `Logs of ${name}` })).toContainText(`hello from ${name}`, { timeout: 30_000 });
  await saveScreenshot(page, 'ui-story-node-logs');

  // Edit the handler and deploy revision 2.
  await page.getByRole('tab', { name: 'handler.js' }).click();
  await replaceFileText(page, "module.exports.main = async (event, context) => {\n  console.log('v2 from', context['function-name']);\n  return 'Hello, v2!';\n};\n");
  await expect(page.getByLabel('Unsaved changes')).toBeVisible();
  expect(await deployAndWait(page)).toBe(2);

  await page.getByRole('tab', { name: 'Revisions' }).click();
  const table = page.getByRole('table', { name: 'Revisions' });
  await expect(table.getByRole('row', { name: 'Revision 2' })).toContainText('serving');
  await expect(table.getByRole('row', { name: 'Revision 1' })).toBeVisible();
  // A diff of the two revisions' handler.
  await page.getByRole('checkbox', { name: 'Compare revision 1' }).check();
  await page.getByRole('checkbox', { name: 'Compare revision 2' }).check();
  await expect(page.getByText('Revision 1 → 2')).toBeVisible();
  await expect(page.locator('.rev-diff-body .monaco-diff-editor')).toContainText("'Hello, v2!'");
  await saveScreenshot(page, 'ui-story-node-revisions');
  // Deployed: the draft is gone from the list.
  await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).not.toContainText('draft');

  await invokeUntil(page, /^Hello, v2!$/);

  // Roll back to revision 1: the old answer comes back.
  await page.getByRole('tab', { name: 'Revisions' }).click();
  await table.getByRole('row', { name: 'Revision 1' }).getByRole('button', { name: 'Roll back to revision 1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All traffic now goes to revision 1' })).toBeVisible({ timeout: 60_000 });
  await expect(table.getByRole('row', { name: 'Revision 1' })).toContainText('serving');
  await invokeUntil(page, /^Hello, world!$/);

  // The calls show up in the metrics.
  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByRole('img', { name: 'Requests per second chart' })).toBeVisible();
  await expect(page.getByLabel('Metrics summary')).toContainText(/[1-9]\d* requests/, { timeout: 60_000 });
  await saveScreenshot(page, 'ui-story-node-metrics');
});
