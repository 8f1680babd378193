// Steps the UI stories share, written the way a person would do them (role-based selectors).
import { CoreV1Api } from '@kubernetes/client-node';
import { expect, type Page } from '@playwright/test';
import crypto from 'node:crypto';
import { testCluster } from '../support/cluster-target';

export function uniqueName(prefix: string) {
  return `${prefix}-${crypto.randomBytes(3).toString('hex')}`;
}

/** Creates a namespace through the sidebar and selects it; returns its name. */
export async function freshNamespace(page: Page, prefix = 'fd-e2e-ui'): Promise<string> {
  const ns = uniqueName(prefix);
  await expect(page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { selected: true })).toBeVisible();
  await page.getByRole('button', { name: 'New namespace' }).click();
  await page.getByRole('textbox', { name: 'New namespace name' }).fill(ns);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Namespace' })).toHaveValue(ns);
  await expect(page.getByLabel('Current context')).toContainText(`/ ${ns}`);
  return ns;
}

/** Deletes a test namespace straight through the API (cleanup only; the test itself uses the UI). */
export async function deleteNamespace(ns: string | undefined) {
  if (!ns) return;
  await testCluster().kc.makeApiClient(CoreV1Api).deleteNamespace({ name: ns }).catch(() => undefined);
}

export async function newFunction(page: Page, opts: { runtime: 'Node.js' | 'Python'; template: string; name: string }) {
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByRole('radio', { name: opts.runtime }).check();
  await dialog.getByRole('radio', { name: new RegExp(opts.template) }).first().check();
  await dialog.getByRole('textbox', { name: 'Name' }).fill(opts.name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: opts.name })).toBeVisible();
}

/** The Monaco view of the open file (rendered lines only). */
export function editorLines(page: Page) {
  return page.locator('.editor-body .monaco-editor .view-lines').first();
}

/** Replaces the whole text of the open file by pasting it (typing would trigger auto-close and auto-indent). */
export async function replaceFileText(page: Page, text: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await editorLines(page).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await expect(editorLines(page)).toContainText(text.split('\n')[0]!.trim());
}

/** Deploys with Ctrl+Enter and waits for the revision to be ready; returns its number. */
export async function deployAndWait(page: Page): Promise<number> {
  await editorLines(page).click();
  await page.keyboard.press('Control+Enter');
  const summary = page.getByRole('tabpanel').getByText(/Revision \d+ is ready/);
  await expect(summary).toBeVisible({ timeout: 120_000 });
  return Number(/Revision (\d+)/.exec((await summary.textContent()) ?? '')![1]);
}

/** Invokes from the Invoke tab and returns the response body text. */
export async function invoke(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Invoke' }).click();
  const before = await page.getByRole('list').filter({ has: page.locator('.history-item') }).locator('li').count().catch(() => 0);
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Invoke', exact: true })).toBeEnabled({ timeout: 60_000 });
  void before;
  await expect(page.getByLabel('Response status')).toBeVisible();
  return (await page.getByLabel('Response body').textContent()) ?? '';
}

/** Invokes until the body matches (traffic switches and rollouts take a moment). */
export async function invokeUntil(page: Page, expected: RegExp, timeoutMs = 60_000) {
  await expect.poll(() => invoke(page), { timeout: timeoutMs, intervals: [500, 1000, 2000] }).toMatch(expected);
}

/** How many lines the logs panel holds, from its counts ("27,001 lines" or "11 of 27,001 lines"). */
export async function logLinesHeld(page: Page): Promise<number> {
  const text = (await page.getByLabel('Log line counts').textContent()) ?? '';
  return Number(/([\d,]+) lines?/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
}
