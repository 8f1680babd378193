import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, editorLines, freshNamespace, newFunction, replaceFileText, uniqueName } from './ui-helpers';

// Issue 5, story 4: a crashing function shows Failed with its last log lines.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

test('a function that crashes on start is Failed and shows its last log lines', async ({ app, page }) => {
  test.setTimeout(300_000);
  void app;
  ns = await freshNamespace(page);
  const name = uniqueName('crash');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  await page.getByRole('tab', { name: 'handler.js' }).click();
  await replaceFileText(page, "console.log('starting up, about to fail');\nthrow new Error('boom at startup');\nmodule.exports.main = async () => 'never';\n");
  await editorLines(page).click();
  await page.keyboard.press('Control+Enter');

  const failure = page.getByRole('alert').filter({ hasText: 'Deploy failed' });
  await expect(failure).toBeVisible({ timeout: 240_000 });
  await expect(page.getByRole('region', { name: 'Last log lines of the crashed pod' })).toContainText('boom at startup');
  await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).toContainText('Failed', { timeout: 60_000 });
  // No step pill wraps ("Roll / out", "1.6 / s"), even with the failed step's reason beside it in a narrower window.
  await page.setViewportSize({ width: 760, height: 800 });
  await page.getByRole('tab', { name: 'Deploy' }).click();
  const parts = page.getByRole('list', { name: 'Deploy steps' }).getByRole('listitem').locator('.step-label, .step-ms');
  await expect(parts.first()).toBeVisible();
  const lineCounts = await parts.evaluateAll((els) =>
    els.map((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return `${el.textContent}: ${new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size}`;
    }),
  );
  expect(lineCounts.filter((c) => !/: [01]$/.test(c))).toEqual([]);
  await saveScreenshot(page, 'ui-story-crash');
});
