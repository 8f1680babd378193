import { describe, expect, it } from 'vitest';
import { EmitPolicy } from './emit-policy';

describe('EmitPolicy', () => {
  it('sends at once while lines are few', () => {
    const p = new EmitPolicy({ intervalMs: 100, windowMs: 100, busyLines: 100, quickSends: 4 });
    p.arrived(0, 3);
    expect(p.nextSendAt(0)).toBe(0);
    p.sent(0);
    p.arrived(5, 1);
    expect(p.nextSendAt(5)).toBe(5);
  });

  it('batches once more lines than the threshold arrived within the window, and stops when they stop', () => {
    const p = new EmitPolicy({ intervalMs: 100, windowMs: 100, busyLines: 100, quickSends: 4 });
    p.sent(0);
    p.arrived(10, 60);
    expect(p.nextSendAt(10)).toBe(10);
    p.arrived(20, 60);
    expect(p.busy(20)).toBe(true);
    expect(p.nextSendAt(20)).toBe(100);
    // The window has moved past those arrivals: quiet again.
    expect(p.nextSendAt(121)).toBe(121);
  });

  it('batches after a few quick sends in a row, whatever their size', () => {
    const p = new EmitPolicy({ intervalMs: 100, windowMs: 100, busyLines: 100, quickSends: 4 });
    for (const t of [0, 10, 20, 30]) {
      p.arrived(t, 1);
      expect(p.nextSendAt(t)).toBe(t);
      p.sent(t);
    }
    p.arrived(40, 1);
    expect(p.nextSendAt(40)).toBe(130);
  });
});
