import { test, expect, saveScreenshot } from './fixtures';
import { testCluster } from '../support/cluster-target';
import { deleteNamespace, deployAndWait, editorLines, freshNamespace, newFunction, replaceFileText, uniqueName } from './ui-helpers';
import type { Page } from '@playwright/test';

/** From now on, notes whether a function's failure banner appears at any moment (even briefly); the result says if it did. */
async function watchForFailureBanner(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const w = window as unknown as { bannerSeen: boolean };
    w.bannerSeen = false;
    new MutationObserver(() => {
      if (document.querySelector('[role="alert"][aria-label$=" failed"]')) w.bannerSeen = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { bannerSeen: boolean }).bannerSeen);
}

test.use({ colorScheme: 'light' });

// Issue 9, "What is serving is always clear": after a rollback every view says which revision serves
// and that it was rolled back; the editor says whose code it shows; deploying over a rollback and
// rolling back to a failed revision ask first; a bad image is Failed and shows in the diff.
// Settings must be able to change the runtime image (for a revision whose image cannot be pulled).
test.use({ kubeconfig: 'dev-cluster', imagesInSettings: true });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

/**
 * One screenshot in each theme. The app follows the system theme (the default setting), so the
 * emulated colour scheme switches it even while a modal dialog is open.
 */
async function screenshots(page: Page, name: string) {
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim())).toMatch(scheme === 'dark' ? /^#1e1f22$/i : /^#f{3}(f{3})?$/i);
    await page.waitForTimeout(250); // Monaco repaints with its theme on the next frames
    await saveScreenshot(page, `${name}-${scheme}`);
  }
}

test('rollback shows everywhere; the editor says whose code it shows; deploy over a rollback and a failed revision ask first', async ({ app, page }) => {
  test.setTimeout(420_000);
  void app;
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  await expect(ctx).toHaveAttribute('aria-selected', 'true');
  ns = await freshNamespace(page);
  const name = uniqueName('served');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });

  // Revision 1, then revision 2 with other code.
  expect(await deployAndWait(page)).toBe(1);
  // After a successful deploy, one click invokes it.
  await page.getByRole('button', { name: 'Invoke now' }).click();
  await expect(page.getByRole('tab', { name: 'Invoke' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Response body')).toHaveText('Hello, world!', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'handler.js' }).click();
  await replaceFileText(page, "module.exports.main = async () => 'Hello, v2!';\n");
  expect(await deployAndWait(page)).toBe(2);

  const sidebarRow = page.getByRole('list', { name: 'Functions' }).getByRole('button', { name: new RegExp(`^${name}`) });
  const header = page.getByRole('group', { name: 'Function state' });
  const statusBar = page.getByRole('contentinfo', { name: 'Status' }).getByRole('status', { name: 'Function state' });
  await expect(statusBar).toContainText(`${name}: Revision 2 serving`);
  await screenshots(page, 'ui-serving-deployed');

  // Roll back to revision 1 from the revisions table: the button names its revision.
  await page.getByRole('tab', { name: 'Revisions' }).click();
  const table = page.getByRole('table', { name: 'Revisions' });
  await table.getByRole('row', { name: 'Revision 1' }).getByRole('button', { name: 'Roll back to revision 1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All traffic now goes to revision 1' })).toBeVisible({ timeout: 60_000 });

  // Every view says the same thing: revision 1 serves, rolled back from 2.
  const said = 'Revision 1 serving (rolled back from 2)';
  await expect(sidebarRow).toContainText(said);
  await expect(header).toContainText(said);
  await expect(statusBar).toContainText(`${name}: ${said}`);
  await expect(page.getByRole('tabpanel', { name: 'Revisions' }).getByText(said, { exact: true })).toBeVisible();
  await expect(table.getByRole('row', { name: 'Revision 1' })).toContainText('serving');
  await expect(table.getByRole('row', { name: 'Revision 2' })).toContainText('rolled back');
  await expect(table.getByRole('row', { name: 'Revision 2' })).toContainText(/handler\.js \+1 −\d+/);
  // The editor still holds revision 2's code, and says so.
  await expect(header).toContainText("Editor: revision 2's code, newer than the serving revision 1");
  await screenshots(page, 'ui-serving-rolled-back');

  // Deploying now would undo the rollback: it asks first; Cancel deploys nothing.
  await editorLines(page).click();
  await page.keyboard.press('Control+Enter');
  const replace = page.getByRole('dialog', { name: 'Replace the rollback?' });
  await expect(replace).toContainText('Revision 1 of');
  await expect(replace).toContainText('makes revision 2 serve again');
  await expect(replace.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshots(page, 'ui-serving-confirm-replace');
  await replace.getByRole('button', { name: 'Cancel' }).click();
  await expect(replace).toBeHidden();
  await expect(statusBar).toContainText(said);

  // One action opens the serving revision's code.
  await header.getByRole('button', { name: 'Open serving revision' }).click();
  await expect(editorLines(page)).toContainText("return 'Hello, world!'");
  await expect(header).toContainText("Editor: the serving revision's code (revision 1)");
  await expect(header.getByRole('button', { name: 'Open serving revision' })).toBeHidden();

  // A revision whose image cannot be pulled: the same code on an image that does not exist.
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('textbox', { name: 'Node.js image', exact: true }).fill('localhost:1/funcdeck/missing:0');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings).toBeHidden();
  await expect(header).toContainText('Editor: a draft, not deployed');
  await editorLines(page).click();
  await page.keyboard.press('Control+Enter');
  await expect(replace).toContainText('makes a new revision 3 serve');
  await replace.getByRole('button', { name: 'Deploy and replace the rollback' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Deploy failed' })).toContainText('could not be pulled', { timeout: 120_000 });
  await expect(sidebarRow).toContainText('Failed');
  await expect(statusBar).toContainText('revision 3 failed');

  await page.getByRole('tab', { name: 'Revisions' }).click();
  const r3 = table.getByRole('row', { name: 'Revision 3' });
  await expect(r3).toContainText('Failed');
  await expect(r3).toContainText('could not be pulled');
  await expect(r3).toContainText('missing:0 · S · 180 s · 1 pod');
  await expect(r3).toContainText('image');
  // The diff of revisions 1 and 3 (same code, other image) opens on the image and settings.
  await page.getByRole('checkbox', { name: 'Compare revision 1' }).check();
  await page.getByRole('checkbox', { name: 'Compare revision 3' }).check();
  await expect(page.getByRole('combobox', { name: 'File to compare' })).toHaveValue('Image and settings');
  await expect(page.getByRole('textbox', { name: 'the image and settings in revision 3 (newer)' })).toBeAttached();
  await expect(page.getByRole('region', { name: 'Compare revisions 1 and 3' }).locator('.monaco-diff-editor')).toContainText('image: localhost:1/funcdeck/missing:0');
  await screenshots(page, 'ui-serving-failed-diff');

  // Rolling back to the failed revision warns first.
  await r3.getByRole('button', { name: 'Roll back to revision 3' }).click();
  const warn = page.getByRole('dialog', { name: 'Roll back to failed revision 3?' });
  await expect(warn).toContainText('could not be pulled');
  await expect(warn).toContainText('traffic stays with revision 1');
  await screenshots(page, 'ui-serving-confirm-failed');
  await warn.getByRole('button', { name: 'Cancel' }).click();
  await expect(warn).toBeHidden();
  await expect(table.getByRole('row', { name: 'Revision 1' })).toContainText('serving');

  // The fixing deploy: the failed deploy's outcome is in the Deploy tab, not in a banner, and the
  // new deploy replaces it; the old failure's banner must not come back while it runs (it did).
  const banner = page.getByRole('alert', { name: `${name} failed` });
  await expect(banner).toBeHidden();
  const bannerSeen = await watchForFailureBanner(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await settings.getByRole('textbox', { name: 'Node.js image', exact: true }).fill(testCluster().images.nodejs);
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings).toBeHidden();
  await editorLines(page).click();
  await page.keyboard.press('Control+Enter');
  await replace.getByRole('button', { name: 'Deploy and replace the rollback' }).click();
  await expect(page.getByRole('tabpanel').getByText(/Revision 4 is ready/)).toBeVisible({ timeout: 120_000 });
  expect(await bannerSeen()).toBe(false);
  await expect(banner).toBeHidden();
  await expect(statusBar).toContainText(`${name}: Revision 4 serving`);
  await expect(sidebarRow).toContainText('Revision 4 serving');
  await expect(header).toContainText("Editor: the serving revision's code (revision 4)");
});

test("a fixing deploy replaces the failed deploy's outcome: the old failure banner does not come back while it runs", async ({ app, page }) => {
  test.setTimeout(300_000);
  void app;
  const ctx = page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ });
  await ctx.click();
  ns = await freshNamespace(page);
  const name = uniqueName('fixed');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  expect(await deployAndWait(page)).toBe(1);

  const setImage = async (image: string) => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('textbox', { name: 'Node.js image', exact: true }).fill(image);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(settings).toBeHidden();
  };
  await setImage('localhost:1/funcdeck/missing:0');
  await editorLines(page).click();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Deploy failed' })).toContainText('could not be pulled', { timeout: 120_000 });
  const banner = page.getByRole('alert', { name: `${name} failed` });
  await expect(banner).toBeHidden();

  // Watch for the banner from before the fixing deploy starts until it is ready.
  const bannerSeen = await watchForFailureBanner(page);
  await setImage(testCluster().images.nodejs);
  expect(await deployAndWait(page)).toBe(3);
  expect(await bannerSeen()).toBe(false);
  await expect(banner).toBeHidden();
});
