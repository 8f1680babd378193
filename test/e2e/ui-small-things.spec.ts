import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, editorLines, freshNamespace, invoke, newFunction, replaceFileText, uniqueName } from './ui-helpers';

// Issue 9, "Small things users notice" and "Accessibility", on one deployed function.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

test('invoke, history, notices, palette, metrics and delete: each says what it is, in roles and words', async ({ app, page }) => {
  test.setTimeout(360_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  // "Namespace" is a heading like its neighbours, and still names its picker.
  await expect(page.getByRole('navigation').getByRole('heading', { level: 2, name: 'Namespace' })).toBeVisible();
  ns = await freshNamespace(page, 'fd-e2e-small');
  const name = uniqueName('small');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  expect(await deployAndWait(page)).toBe(1);

  // The request parts: a tab list of tabs only, each with its panel.
  await page.getByRole('tab', { name: 'Invoke' }).click();
  const parts = page.getByRole('tablist', { name: 'Request parts' });
  await expect(parts.locator('> *')).toHaveCount(4);
  await expect(parts.getByRole('tab')).toHaveCount(4);
  for (const t of ['Body', 'Query (0)', 'Headers (0)', 'CloudEvent']) {
    await parts.getByRole('tab', { name: t }).click();
    await expect(page.getByRole('tabpanel', { name: t })).toBeVisible();
  }
  await parts.getByRole('tab', { name: 'Body' }).click();

  // GET carries no body: typed text is kept but the app says it will not be sent.
  const body = page.getByRole('tabpanel', { name: 'Body' });
  await body.locator('.monaco-editor .view-lines').click();
  await page.keyboard.type('"typed for GET"');
  await expect(body.getByRole('note')).toHaveText(/GET requests carry no body: this text is not sent\./);
  await page.getByRole('combobox', { name: 'Method' }).selectOption('POST');
  await expect(body.getByRole('note')).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Method' }).selectOption('GET');

  // The response is a region with a status and a body.
  expect(await invoke(page)).toBe('Hello, world!');
  const response = page.getByRole('region', { name: 'Response' });
  await expect(response.getByRole('status', { name: 'Response status' })).toHaveText(/^200/);
  await expect(response.getByRole('region', { name: 'Response body' })).toHaveText('Hello, world!');
  // Headers: the function's apart from the API server's own.
  await response.getByRole('button', { name: /^Headers/ }).click();
  const fnHeaders = response.getByRole('table', { name: 'Headers from the function' });
  const apiHeaders = response.getByRole('table', { name: "Headers added by the cluster's API server" });
  await expect(fnHeaders).toContainText('x-funcdeck-request-id');
  await expect(apiHeaders).toContainText('audit-id');
  await expect(fnHeaders).not.toContainText('audit-id');
  // History: time and revision of each call.
  const entry = page.getByRole('region', { name: 'History' }).getByRole('listitem').first();
  await expect(entry).toContainText(/\d\d:\d\d:\d\d/);
  await expect(entry).toContainText('revision 1');
  await saveScreenshot(page, 'ui-small-invoke');

  // A transient notice fades, and is said politely.
  await page.getByRole('button', { name: 'Copy as curl' }).click();
  const copied = page.getByRole('status').filter({ hasText: 'Copied the curl command.' });
  await expect(copied).toBeVisible();
  await expect(copied).toHaveAttribute('aria-live', 'polite');
  await expect(copied).toBeHidden({ timeout: 15_000 });

  // The metrics time axis shows clock time (hh:mm:ss), not minutes:seconds.
  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByLabel('Metrics summary')).toContainText(/[1-9]\d* requests?/, { timeout: 60_000 });
  // The axis is a canvas; the chart's name gives its span in the same clock time the axis uses.
  await expect(page.getByRole('img', { name: /^Requests per second chart, \d\d:\d\d:\d\d to \d\d:\d\d:\d\d$/ })).toBeVisible();
  await saveScreenshot(page, 'ui-small-metrics');

  // A second revision: the palette offers rolling back to revision 1, and the traffic view.
  await page.getByRole('tab', { name: 'handler.js' }).click();
  await replaceFileText(page, "module.exports.main = async () => 'v2';\n");
  expect(await deployAndWait(page)).toBe(2);
  await editorLines(page).click();
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Commands' });
  await expect(palette.getByRole('option', { name: /^Roll back to revision 1/ })).toBeAttached();
  await expect(palette.getByRole('option', { name: /^Roll back to revision 2/ })).toHaveCount(0);
  await palette.getByRole('combobox', { name: 'Type a command' }).fill('show traffic');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Revisions' })).toHaveAttribute('aria-selected', 'true');

  // The delete dialog starts on Cancel, with a visible focus ring.
  await page.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  const cancel = dialog.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeFocused();
  const ring = await cancel.evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(ring.style).not.toBe('none');
  expect(ring.width).toBeGreaterThanOrEqual(2);
  await saveScreenshot(page, 'ui-small-delete-dialog');
  await cancel.click();
});
