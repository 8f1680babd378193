import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { GATEWAY_SOURCE, gatewayVersion, POOL_SOURCE } from './program';

describe('gateway program', () => {
  it.each([
    ['gateway', GATEWAY_SOURCE],
    ['warm pool', POOL_SOURCE],
  ])('the %s is one CommonJS file that needs nothing but Node itself', (_name, source) => {
    const required = [...source.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    const builtins = new Set(builtinModules);
    expect(required.filter((r) => !(r.startsWith('node:') || builtins.has(r)))).toEqual([]);
    expect(source).not.toMatch(/zod|@kubernetes\/client-node/);
    // small enough for a ConfigMap (1 MiB) with room to spare
    expect(Buffer.byteLength(source)).toBeLessThan(400 * 1024);
  });

  it('has a version that changes with the image', () => {
    expect(gatewayVersion('a')).toMatch(/^[0-9a-f]{12}$/);
    expect(gatewayVersion('a')).not.toBe(gatewayVersion('b'));
  });
});
