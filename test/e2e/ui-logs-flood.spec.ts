import type { Page } from '@playwright/test';
import { test, expect, saveScreenshot } from './fixtures';
import { deleteNamespace, deployAndWait, freshNamespace, invoke, logLinesHeld, newFunction, replaceFileText, uniqueName } from './ui-helpers';

// The logs panel with many lines: it follows to the last one, a filter narrows to exactly the lines
// that match, scrolling up stops following, and Pause holds the view until Follow.
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

// Under the engine's feed budget for one burst (electron/engine/logs/feed.ts), so the panel gets every line.
const LINES = 9_000;
const HANDLER = `module.exports.main = async (event) => {
  const run = event.extensions.request.path.split('/').pop() || 'a';
  for (let i = 1; i <= ${LINES}; i++) console.log('row ' + run + '-' + i);
  return 'printed';
};
`;

const counts = (page: Page) => page.getByLabel('Log line counts');
const held = logLinesHeld;
/** The text of the rows on screen, top to bottom. */
const rowsOnScreen = (page: Page) =>
  page.evaluate(() => {
    const box = document.querySelector('.log-scroll')!.getBoundingClientRect();
    return [...document.querySelectorAll('.log-scroll .log-row')]
      .filter((r) => {
        const b = r.getBoundingClientRect();
        // Within a pixel: the box may sit at a fractional position.
        return b.top >= box.top - 1 && b.bottom <= box.bottom + 1;
      })
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((r) => r.querySelector('.log-text')!.textContent ?? '');
  });

test('the logs panel follows 9,000 lines to the last, filters exactly, and stops following when scrolled up or paused', async ({ app, page }) => {
  test.setTimeout(240_000);
  void app;
  ns = await freshNamespace(page);
  const name = uniqueName('many');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name });
  await replaceFileText(page, HANDLER);
  await deployAndWait(page);

  await page.getByRole('tab', { name: 'Invoke' }).click();
  await page.getByLabel('Path').fill('/a');
  expect(await invoke(page)).toBe('printed');
  await page.getByRole('tab', { name: 'Logs' }).click();
  await expect.poll(() => held(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(LINES);

  // Following: the last line is the bottom row on screen, and the rows above it are in order.
  await expect.poll(async () => (await rowsOnScreen(page)).at(-1) ?? '').toContain(`row a-${LINES}`);
  const shown = await rowsOnScreen(page);
  expect(shown.length).toBeGreaterThan(3);
  shown.forEach((text, i) => expect(text).toContain(`row a-${LINES - shown.length + 1 + i}`));
  await saveScreenshot(page, 'ui-logs-following');

  // A text filter keeps exactly the matching lines: "a-899" is line 899 and 8990–8999.
  await page.getByLabel('Filter log text').fill('a-899');
  await expect(counts(page)).toContainText(/^11 of [\d,]+ lines/);
  await expect.poll(async () => (await rowsOnScreen(page)).map((t) => /row (a-\d+)/.exec(t)?.[1])).toEqual(['a-899', ...Array.from({ length: 10 }, (_, i) => `a-899${i}`)]);
  await page.getByLabel('Filter log text').fill('');

  // Scrolled up with the wheel, the view stays where it is while more lines arrive.
  const log = page.getByRole('log', { name: `Logs of ${name}` });
  await log.hover();
  await page.mouse.wheel(0, -3000);
  await expect.poll(async () => (await rowsOnScreen(page)).at(-1) ?? '').not.toContain(`row a-${LINES}`);
  const before = await rowsOnScreen(page);
  await page.getByRole('tab', { name: 'Invoke' }).click();
  await page.getByLabel('Path').fill('/b');
  expect(await invoke(page)).toBe('printed');
  await page.getByRole('tab', { name: 'Logs' }).click();
  await expect.poll(() => held(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(2 * LINES);
  expect(await rowsOnScreen(page)).toEqual(before);

  // Back to the end: following again, so the newest line shows.
  await log.press('End');
  await expect.poll(async () => (await rowsOnScreen(page)).at(-1) ?? '').toContain(`row b-${LINES}`);

  // Paused, new lines are counted on the Follow button but not shown; Follow shows them.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('tab', { name: 'Invoke' }).click();
  await page.getByLabel('Path').fill('/c');
  expect(await invoke(page)).toBe('printed');
  await page.getByRole('tab', { name: 'Logs' }).click();
  await expect(page.getByRole('button', { name: /^Follow \(9,0\d\d new\)$/ })).toBeVisible({ timeout: 60_000 });
  // The view is where it was: the longer count text does not wrap the toolbar or resize the box.
  expect((await rowsOnScreen(page)).at(-1)).toContain(`row b-${LINES}`);
  await saveScreenshot(page, 'ui-logs-paused');
  await page.getByRole('button', { name: 'Follow' }).click();
  await expect.poll(async () => (await rowsOnScreen(page)).at(-1) ?? '').toContain(`row c-${LINES}`);
});
