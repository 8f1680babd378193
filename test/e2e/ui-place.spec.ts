import fs from 'node:fs';
import path from 'node:path';
import { test, expect, saveScreenshot, SECOND_DEV_CONTEXT } from './fixtures';
import { stopDevApiServerFor } from './apiserver-outage';
import { deleteNamespace, deployAndWait, editorLines, freshNamespace, newFunction, replaceFileText, uniqueName } from './ui-helpers';
import type { Page } from '@playwright/test';

// Issue 9, "Your place is kept": per-context place, hot exit across reloads and restarts, blips.

/** Files under `dir` (recursively) whose text contains `text`, relative to `dir`. */
function filesContaining(dir: string, text: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (fs.readFileSync(p, 'utf8').includes(text)) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

const contexts = (page: Page) => page.getByRole('listbox', { name: 'Cluster contexts' });
const leavePrompted = (page: Page) =>
  page.evaluate(() => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });

test.describe('two contexts on the dev cluster', () => {
  test.use({ kubeconfig: 'dev-cluster-twice' });
  let ns: string | undefined;
  test.afterEach(async () => deleteNamespace(ns));

  test('each context keeps its namespace, function, tabs, unsaved text and invoke form across switches, reloads and restarts', async ({ app, page }) => {
    test.setTimeout(360_000);
    const a = contexts(page).getByRole('option', { name: /^funcdeck-dev[ ,]/ });
    const b = contexts(page).getByRole('option', { name: new RegExp(`^${SECOND_DEV_CONTEXT}[ ,]`) });
    await a.click();
    await expect(a).toHaveAttribute('aria-selected', 'true');
    ns = await freshNamespace(page, 'fd-e2e-place');
    const name = uniqueName('kept');
    await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
    expect(await deployAndWait(page)).toBe(1);

    // The invoke form, an unsaved edit, and the Logs tab.
    await page.getByRole('tab', { name: 'Invoke' }).click();
    await page.getByRole('combobox', { name: 'Method' }).selectOption('POST');
    await page.getByRole('textbox', { name: 'Path' }).fill('/kept-path');
    await page.getByRole('tab', { name: 'handler.js' }).click();
    await replaceFileText(page, "module.exports.main = async () => 'unsaved but kept';\n");
    await expect(page.getByLabel('Unsaved changes')).toBeVisible();
    await page.getByRole('tab', { name: 'Logs' }).click();

    const nsPicker = page.getByRole('combobox', { name: 'Namespace' });
    const heading = page.getByRole('heading', { level: 1, name });
    const expectPlace = async () => {
      await expect(a).toHaveAttribute('aria-selected', 'true');
      await expect(nsPicker).toHaveValue(ns!);
      await expect(heading).toBeVisible();
      await expect(editorLines(page)).toContainText("'unsaved but kept'");
      await expect(page.getByLabel('Unsaved changes')).toBeVisible();
      await expect(page.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
    };

    // A → B (no question asked: A's place is kept) → A.
    await b.click();
    await expect(b).toHaveAttribute('aria-selected', 'true');
    await expect(nsPicker).toHaveValue('default');
    await expect(heading).toHaveCount(0);
    await a.click();
    await expectPlace();

    // Kept in the engine's store, never in the drafts the user saves.
    await expect.poll(() => filesContaining(app.dataDir, 'unsaved but kept'), { timeout: 10_000 }).toEqual([expect.stringMatching(/^workbench\//)]);
    await expect(page.getByRole('button', { name: new RegExp(`^${name}`) })).not.toContainText('draft');
    // No leave-page prompt is needed any more.
    expect(await leavePrompted(page)).toBe(false);

    await page.reload();
    await expectPlace();
    await page.getByRole('tab', { name: 'Invoke' }).click();
    await expect(page.getByRole('combobox', { name: 'Method' })).toHaveValue('POST');
    await expect(page.getByRole('textbox', { name: 'Path' })).toHaveValue('/kept-path');

    // The other file tab and a taller panel, then an app restart.
    await page.getByRole('tab', { name: 'package.json' }).click();
    const resizer = page.getByRole('separator', { name: 'Resize the tools panel' });
    const height = Number(await resizer.getAttribute('aria-valuenow')) + 48;
    await resizer.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect(resizer).toHaveAttribute('aria-valuenow', String(height));
    await expect.poll(() => filesContaining(app.dataDir, `"panelHeight": ${height}`).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => filesContaining(app.dataDir, '"fileTab": "package.json"').length, { timeout: 10_000 }).toBe(1);
    await app.restart();
    await page.goto(app.url);
    await expect(heading).toBeVisible();
    await expect(nsPicker).toHaveValue(ns);
    await expect(page.getByRole('tab', { name: 'package.json' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Invoke' })).toHaveAttribute('aria-selected', 'true');
    await expect(resizer).toHaveAttribute('aria-valuenow', String(height));
    await expect(page.getByRole('combobox', { name: 'Method' })).toHaveValue('POST');
    await page.getByRole('tab', { name: 'handler.js' }).click();
    await expect(editorLines(page)).toContainText("'unsaved but kept'");
    await saveScreenshot(page, 'ui-place-restored');
  });
});

test.describe('the dev cluster', () => {
  test.use({ kubeconfig: 'dev-cluster' });
  let ns: string | undefined;
  test.afterEach(async () => deleteNamespace(ns));

  test('a short API server outage shows a counting reconnecting banner over the kept workbench, which goes by itself', async ({ app, page }) => {
    test.setTimeout(360_000);
    void app;
    ns = await freshNamespace(page, 'fd-e2e-blip');
    const name = uniqueName('blip');
    await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
    await page.getByRole('tab', { name: 'handler.js' }).click();
    await replaceFileText(page, "module.exports.main = async () => 'typed before the blip';\n");

    const outage = stopDevApiServerFor(10_000);
    try {
      const banner = page.getByRole('status').filter({ hasText: /^Reconnecting to funcdeck-dev… \d+ s/ });
      await expect(banner).toBeVisible({ timeout: 60_000 });
      const seconds = async () => Number(/… (\d+) s/.exec((await banner.textContent()) ?? '')?.[1] ?? -1);
      const first = await seconds();
      await expect.poll(seconds, { timeout: 10_000 }).toBeGreaterThan(first);
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
      await expect(page.getByRole('heading', { name: /^Cannot reach/ })).toHaveCount(0);
      await saveScreenshot(page, 'ui-reconnecting');
      await expect(banner).toBeHidden({ timeout: 90_000 });
    } finally {
      await outage;
    }
    await expect(page.getByRole('heading', { name: /^Cannot reach/ })).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(editorLines(page)).toContainText("'typed before the blip'");
    await expect(page.getByLabel('Unsaved changes')).toBeVisible();
  });
});

test.describe('a context whose credential plugin never answers', () => {
  test.use({ kubeconfig: 'hanging-plugin' });

  test('every context gets a reachability verdict within seconds; none stays at "checking"', async ({ app, page }) => {
    void app;
    const options = contexts(page).getByRole('option');
    await expect(options).toHaveCount(3);
    // The engine promises a verdict within 5 s; 10 s leaves room for a loaded machine, and rules out "for ever".
    await expect
      .poll(async () => (await options.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).filter((n) => !/(reachable|unreachable|reachability unknown)/.test(n)), { timeout: 10_000 })
      .toEqual([]);
    await saveScreenshot(page, 'ui-reachability-verdicts');
  });
});
