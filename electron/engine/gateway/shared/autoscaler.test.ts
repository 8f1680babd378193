import { describe, expect, it } from 'vitest';
import { calmState, ConcurrencyMeter, decideScale, idleDecision, KPA_DEFAULTS } from './autoscaler';

const spec = { ...KPA_DEFAULTS, min: 1, max: 10, target: 10 };

describe('ConcurrencyMeter', () => {
  it('averages calls in flight over time, weighted by how long each lasted', () => {
    const m = new ConcurrencyMeter(0);
    m.change(0, 4); // 4 in flight for 2 s
    m.change(2000, -4); // then none for 2 s
    expect(m.average(4000, 60_000)).toBeCloseTo(2, 5);
    expect(m.average(4000, 2000)).toBeCloseTo(0, 5);
    expect(m.inFlight).toBe(0);
  });

  it('measures a window from the first observation, not before it', () => {
    const m = new ConcurrencyMeter(10_000);
    m.change(10_000, 40);
    expect(m.average(13_000, 60_000)).toBeCloseTo(40, 5);
    expect(m.average(13_000, 6000)).toBeCloseTo(40, 5);
  });

  it('forgets what is older than it keeps', () => {
    const m = new ConcurrencyMeter(0, 10_000);
    m.change(0, 10);
    m.change(5000, -10);
    expect(m.average(100_000, 60_000)).toBeCloseTo(0, 5);
  });
});

describe('decideScale (KPA)', () => {
  it('asks for in-flight / target pods in the stable window: 40 in flight at target 10 is 4 pods', () => {
    const d = decideScale(spec, calmState(), { stable: 40, panic: 40, readyPods: 4 }, 0);
    expect(d).toMatchObject({ desired: 4, panicking: false });
  });

  it('panics on a burst of twice the ready capacity and scales at once to what the burst needs', () => {
    const d = decideScale(spec, calmState(), { stable: 8, panic: 40, readyPods: 1 }, 1000);
    expect(d).toMatchObject({ desired: 4, panicking: true });
    expect(d.state).toEqual({ panicSince: 1000, maxPanicPods: 4 });
  });

  it('does not scale down while panicking, and calms down a stable window after the burst', () => {
    let d = decideScale(spec, calmState(), { stable: 8, panic: 40, readyPods: 1 }, 0);
    d = decideScale(spec, d.state, { stable: 10, panic: 5, readyPods: 4 }, 30_000);
    expect(d).toMatchObject({ desired: 4, panicking: true });
    d = decideScale(spec, d.state, { stable: 10, panic: 5, readyPods: 4 }, 60_001);
    expect(d).toMatchObject({ desired: 2, panicking: false }); // at most halves per decision (maxScaleDownRate 2)
    d = decideScale(spec, d.state, { stable: 0, panic: 0, readyPods: 2 }, 62_000);
    expect(d.desired).toBe(1); // never below min
  });

  it('stays within min and max', () => {
    expect(decideScale({ ...spec, max: 3 }, calmState(), { stable: 100, panic: 100, readyPods: 3 }, 0).desired).toBe(3);
    expect(decideScale({ ...spec, min: 2 }, calmState(), { stable: 0, panic: 0, readyPods: 2 }, 0).desired).toBe(2);
  });
});

describe('idleDecision', () => {
  it('goes to zero only with min 0, nothing in flight and the grace passed', () => {
    expect(idleDecision(0, 0, 0, 60_000, 60_000)).toBe(true);
    expect(idleDecision(0, 0, 0, 60_000, 59_999)).toBe(false);
    expect(idleDecision(0, 1, 0, 60_000, 120_000)).toBe(false);
    expect(idleDecision(1, 0, 0, 60_000, 120_000)).toBe(false);
  });
});
