import { describe, expect, it } from 'vitest';
import { RedrawPacer } from './redraw-pacer';

describe('RedrawPacer', () => {
  it('draws at once while lines are few', () => {
    const p = new RedrawPacer({ busyIntervalMs: 250, windowMs: 500, busyLines: 50 });
    p.arrived(0, 3);
    expect(p.wait(0)).toBe(0);
    p.drew(0);
    p.arrived(20, 1);
    expect(p.wait(20)).toBe(0);
  });

  it('spaces redraws out while a flood arrives, and draws at once again after it', () => {
    const p = new RedrawPacer({ busyIntervalMs: 250, windowMs: 500, busyLines: 50 });
    const draws: number[] = [];
    let due = 0;
    // 5,000 lines/s in batches of 50 every 10 ms, for 2 s: a redraw whenever the pacer allows.
    for (let t = 0; t < 2000; t += 10) {
      p.arrived(t, 50);
      if (t >= due) {
        const wait = p.wait(t);
        if (wait === 0) {
          p.drew(t);
          draws.push(t);
        } else due = t + wait;
      }
    }
    // About four a second (plus the first, before the rate was known).
    expect(draws.length).toBeGreaterThanOrEqual(7);
    expect(draws.length).toBeLessThanOrEqual(10);
    expect(draws.slice(1).every((t, i) => t - draws[i]! >= 250)).toBe(true);
    // Quiet again half a second after the flood.
    p.arrived(2600, 1);
    expect(p.wait(2600)).toBe(0);
  });
});
