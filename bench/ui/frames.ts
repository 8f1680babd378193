import type { Page } from '@playwright/test';

/**
 * Frame times as the page sees them: the gaps between animation frames, recorded in the page so
 * Playwright's round trips are not counted. `recordFrames` starts, the returned function stops and
 * gives the gaps (the first, which starts mid-frame, left out).
 */
export async function recordFrames(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    let last = performance.now();
    const loop = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      if (!w.__stop) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__stop = true;
      return w.__frames.slice(1);
    });
}

/** Frame times over the next `ms`. */
export async function frames(page: Page, ms: number): Promise<number[]> {
  const stop = await recordFrames(page);
  await page.waitForTimeout(ms);
  return stop();
}
