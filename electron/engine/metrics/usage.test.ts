import { describe, expect, it } from 'vitest';
import { parseQuantity, podStats } from './usage';

describe('parseQuantity', () => {
  it('reads CPU and memory quantities', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('12345678n')).toBeCloseTo(0.012345678);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1.5Ki')).toBe(1536);
    expect(parseQuantity('abc')).toBeNull();
  });
});

describe('podStats', () => {
  it('sums the containers when the pod level reads 0, else keeps the pod level', () => {
    const s = podStats({
      cpu: { time: 't0', usageCoreNanoSeconds: 0 },
      memory: { workingSetBytes: 0 },
      containers: [
        { cpu: { time: '2026-11-22T04:40:05Z', usageCoreNanoSeconds: 10, usageNanoCores: 1 }, memory: { workingSetBytes: 100 } },
        { cpu: { time: '2026-11-22T04:40:06Z', usageCoreNanoSeconds: 5, usageNanoCores: 2 }, memory: { workingSetBytes: 50 } },
      ],
    });
    expect(s).toEqual({ cpu: { time: '2026-11-22T04:40:06Z', usageCoreNanoSeconds: 15, usageNanoCores: 3 }, memory: { workingSetBytes: 150 } });
    expect(podStats({ memory: { workingSetBytes: 7 } }).memory?.workingSetBytes).toBe(7);
  });
});
