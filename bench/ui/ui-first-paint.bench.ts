import type { Page } from '@playwright/test';
import { test, expect } from '../../test/e2e/fixtures';
import { median, quantile, recordFigure } from '../support/figures';

/**
 * Issue 5's first-paint goal: the app painted, with the cluster contexts listed, within 1 s of the
 * engine being ready. "Ready" is the moment browser mode prints its URL (the engine is listening);
 * the page is opened then, as a person clicking the URL would. Each figure is taken from the page's
 * own clock (performance.timeOrigin + the moment the thing showed), so Playwright's round trips are
 * not counted. The baseline is a one-line HTML page opened the same way in the same browser.
 */
test.use({ kubeconfig: 'dev-cluster' });

const RUNS = 7;

/** Records, in the page, when the first context option appears (a MutationObserver from the start). */
const WATCH_CONTEXTS = () => {
  const w = window as unknown as { __listedAt?: number };
  const seen = () => document.querySelector('[role="listbox"][aria-label="Cluster contexts"] [role="option"]');
  const obs = new MutationObserver(() => {
    if (w.__listedAt === undefined && seen()) {
      w.__listedAt = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document, { subtree: true, childList: true });
};

async function pageTimes(page: Page): Promise<{ origin: number; fcp: number; listedAt?: number }> {
  return page.evaluate(
    () =>
      new Promise<{ origin: number; fcp: number; listedAt?: number }>((resolve) => {
        const done = (fcp: number) =>
          resolve({ origin: performance.timeOrigin, fcp, listedAt: (window as unknown as { __listedAt?: number }).__listedAt });
        const entry = performance.getEntriesByName('first-contentful-paint')[0];
        if (entry) return done(entry.startTime);
        new PerformanceObserver((list) => done(list.getEntries()[0]!.startTime)).observe({ type: 'paint', buffered: true });
      }),
  );
}

test('first paint after the engine is ready, beside a one-line page', async ({ app, page }) => {
  await page.addInitScript(WATCH_CONTEXTS);
  const listed: number[] = [];
  const painted: number[] = [];
  const baseline: number[] = [];

  for (let i = 0; i < RUNS; i++) {
    // A fresh engine each time (the app's cold start), and a fresh page load after it is ready.
    await page.goto('about:blank');
    await app.restart();
    const ready = Date.now();
    await page.goto(app.url);
    await expect(page.getByRole('listbox', { name: 'Cluster contexts' }).getByRole('option').first()).toBeVisible();
    const t = await pageTimes(page);
    expect(t.listedAt, 'the contexts were listed').toBeDefined();
    listed.push(t.origin + t.listedAt! - ready);
    painted.push(t.origin + t.fcp - ready);

    const start = Date.now();
    await page.goto('data:text/html,<!doctype html><title>baseline</title><h1>Funcdeck</h1>');
    const b = await pageTimes(page);
    baseline.push(b.origin + b.fcp - start);
  }

  recordFigure({
    name: `engine ready -> app painted with its contexts listed (median of ${RUNS})`,
    unit: 'ms',
    value: median(listed),
    baseline: { name: 'one-line HTML page, first paint', value: median(baseline) },
    target: { text: 'within 1 s', met: median(listed) <= 1000 && Math.max(...listed) <= 1000 },
    detail:
      `worst ${Math.max(...listed).toFixed(0)} ms, p90 ${quantile(listed, 0.9).toFixed(0)} ms; ` +
      `the app's first contentful paint median ${median(painted).toFixed(0)} ms; baseline worst ${Math.max(...baseline).toFixed(0)} ms`,
  });
});
