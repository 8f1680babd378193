import type { Page } from '@playwright/test';
import { test, expect } from '../../test/e2e/fixtures';
import { deleteNamespace, deployAndWait, freshNamespace, invoke, logLinesHeld, newFunction, replaceFileText, uniqueName } from '../../test/e2e/ui-helpers';
import { median, quantile, recordFigure } from '../support/figures';
import { frames } from './frames';
import { traceDuring } from './trace';

/**
 * Issue 5's UI goals, in real Chromium against the dev cluster, each beside a same-run baseline:
 *  - the logs panel following a function that prints 5,000 lines/s: longest frame (goal: none over
 *    50 ms), beside the same page's frames while idle;
 *  - switching functions: click in the sidebar -> the other function's handler in the editor
 *    (goal: 200 ms), beside switching file tabs within one function (a Monaco model swap only).
 */
test.use({ kubeconfig: 'dev-cluster' });

let ns: string | undefined;
test.afterEach(async () => deleteNamespace(ns));

const FLOOD = `module.exports.main = async () => {
  let n = 0;
  const t = setInterval(() => {
    for (let i = 0; i < 50; i++) console.log('flood line ' + ++n + ' \\u001b[32mgreen\\u001b[0m and plain text after it');
    if (n >= 50000) clearInterval(t);
  }, 10);
  return 'flooding';
};
`;

test('logs panel under a 5,000 lines/s flood, and switching functions', async ({ app, page }) => {
  void app;
  await page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option', { name: /funcdeck-dev/ }).click();
  ns = await freshNamespace(page, 'fd-bench-ui');

  // Two functions to switch between: a flooding one (deployed) and a second one (a draft is enough).
  const other = uniqueName('other');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name: other });
  await page.keyboard.press('Control+S');
  const flood = uniqueName('flood');
  await newFunction(page, { runtime: 'Node.js', template: 'Hello world', name: flood });
  await replaceFileText(page, FLOOD);
  await deployAndWait(page);

  // Timed inside the page: from the pointer going down to the editor showing the expected text
  // (a MutationObserver), so Playwright's own round trips are not counted.
  const timeClick = async (target: ReturnType<Page['getByRole']>, text: string, present: boolean): Promise<number> => {
    await page.evaluate(
      ([text, present]) => {
        const w = window as unknown as { __switch: Promise<number> };
        w.__switch = new Promise<number>((resolve) => {
          let t0: number | null = null;
          const check = () => {
            const el = document.querySelector('.editor-body .monaco-editor .view-lines');
            // Monaco renders spaces as no-break spaces.
            const has = !!el && (el.textContent ?? '').replace(/\u00a0/g, ' ').includes(text as string);
            if (t0 !== null && has === present) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          };
          const obs = new MutationObserver(check);
          setTimeout(() => (obs.disconnect(), resolve(NaN)), 10_000);
          obs.observe(document.body, { subtree: true, childList: true, characterData: true });
          document.addEventListener('pointerdown', () => ((t0 = performance.now()), check()), { once: true, capture: true });
        });
      },
      [text, present] as const,
    );
    await target.click();
    const ms = await page.evaluate(() => (window as unknown as { __switch: Promise<number> }).__switch);
    expect(ms, `the editor never showed "${text}"`).not.toBeNaN();
    return ms;
  };
  const switchMs: number[] = [];
  const tabMs: number[] = [];
  for (let i = 0; i < 10; i++) {
    switchMs.push(await timeClick(page.getByRole('button', { name: new RegExp(`^${other}`) }), "return 'Hello, world!'", true));
    switchMs.push(await timeClick(page.getByRole('button', { name: new RegExp(`^${flood}`) }), 'flood line', true));
    // The template's package.json is empty (no dependencies): it has shown when the handler text is gone.
    tabMs.push(await timeClick(page.getByRole('tab', { name: 'package.json' }), 'flood line', false));
    tabMs.push(await timeClick(page.getByRole('tab', { name: 'handler.js' }), 'flood line', true));
  }
  recordFigure({
    name: 'switch functions: sidebar click -> handler in the editor (median of 20)',
    unit: 'ms',
    value: median(switchMs),
    baseline: { name: 'switch file tab within a function', value: median(tabMs) },
    target: { text: 'median <= 200 ms', met: median(switchMs) <= 200 },
    detail: `p90 ${quantile(switchMs, 0.9).toFixed(0)} vs ${quantile(tabMs, 0.9).toFixed(0)} ms, timed in the page from pointerdown to the text on screen`,
  });

  // The flood twice. First with the Invoke tab in front: the machine carries the same load (the pod
  // printing, the kubelet, the API server, the engine, the hidden panel buffering every line), so
  // its frames are the baseline. Then followed live in the Logs tab: the difference is the panel's
  // drawing.
  await page.getByRole('tab', { name: 'Logs' }).click();
  const idle = await frames(page, 5000);
  const log = page.getByRole('log', { name: `Logs of ${flood}` });
  const held = () => logLinesHeld(page);

  await invoke(page);
  const hidden = await traceDuring(page, 'logs-hidden', () => frames(page, 8000));
  await page.getByRole('tab', { name: 'Logs' }).click();
  // The first flood is over when the panel holds its 50,000 lines (plus the start-up lines).
  await expect.poll(held, { timeout: 60_000 }).toBeGreaterThanOrEqual(50_000);

  await invoke(page);
  await page.getByRole('tab', { name: 'Logs' }).click();
  await expect.poll(held, { timeout: 30_000 }).toBeGreaterThan(50_500);
  await expect(log).toContainText('flood line');
  const heldBefore = await held();
  const busy = await traceDuring(page, 'logs-following', () => frames(page, 8000));
  // The window measured a flood, not its aftermath: lines kept arriving all through it.
  const arrived = (await held()) - heldBefore;
  expect(arrived, 'lines that reached the panel while its frames were measured').toBeGreaterThan(20_000);
  const over = busy.filter((f) => f > 50).length;
  const hiddenOver = hidden.filter((f) => f > 50).length;
  // Issue 9's goal: frames over 50 ms only as long as the machine itself makes them (the hidden tab's worst).
  const allowed = Math.max(50, ...hidden);
  const beyond = busy.filter((f) => f > allowed).length;
  recordFigure({
    name: 'logs panel following 5,000 lines/s: longest frame in 8 s',
    unit: 'ms',
    value: Math.max(...busy),
    baseline: { name: 'same flood, Logs tab hidden, longest frame in 8 s', value: Math.max(...hidden) },
    target: { text: "no frame over 50 ms beyond the hidden tab's worst", met: beyond === 0 },
    detail:
      `${arrived} lines arrived in the window; ${busy.length} frames, ${over} over 50 ms, ${beyond} over ${allowed.toFixed(0)} ms, p99 ${quantile(busy, 0.99).toFixed(0)} ms; ` +
      `hidden: ${hidden.length} frames, ${hiddenOver} over 50 ms, p99 ${quantile(hidden, 0.99).toFixed(0)} ms; ` +
      `idle page: longest ${Math.max(...idle).toFixed(0)} ms`,
  });
});
