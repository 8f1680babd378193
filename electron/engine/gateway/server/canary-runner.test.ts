import { describe, expect, it } from 'vitest';
import { CanaryRunner } from './canary-runner';
import type { Kube } from './kube';
import type { CanaryProgress } from '../shared/canary';

/** A Kube that answers the status ConfigMap's GET with `configMap` and records every other call. */
function fakeKube(configMap: Record<string, unknown>) {
  const calls: Array<{ method: string; body: unknown }> = [];
  const kube = {
    namespace: 'ns',
    request: async (method: string, _path: string, body?: unknown) => {
      calls.push({ method, body });
      return method === 'GET' ? { status: 200, body: configMap } : { status: 200, body: {} };
    },
  } as unknown as Kube;
  return { kube, patches: () => calls.filter((c) => c.method === 'PATCH') };
}
const runner = (kube: Kube) => new CanaryRunner(kube, {} as never, {} as never, () => undefined, 'gw-pod');
const progress = { id: 'c1', phase: 'running' } as unknown as CanaryProgress;
const persist = (r: CanaryRunner) => (r as unknown as { persist(fn: string, p: CanaryProgress): Promise<void> }).persist('shop', progress);

describe('the gateway keeps canary progress only in its own status ConfigMap', () => {
  it('leaves a ConfigMap of that name without the gateway’s labels alone: its data is not read, nothing is written', async () => {
    const { kube, patches } = fakeKube({ metadata: { uid: 'u-1', labels: { team: 'shop' } }, data: { 'canary.shop': JSON.stringify({ id: 'theirs' }) } });
    const r = runner(kube);
    await r.load();
    await persist(r);
    expect(patches()).toEqual([]);
  });

  it('writes to its own with the uid it saw as a precondition', async () => {
    const { kube, patches } = fakeKube({ metadata: { uid: 'u-2', labels: { 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/component': 'gateway' } }, data: {} });
    const r = runner(kube);
    await r.load();
    await persist(r);
    expect(patches()).toHaveLength(1);
    expect(patches()[0]!.body).toMatchObject({ metadata: { uid: 'u-2' }, data: { 'canary.shop': JSON.stringify(progress) } });
  });
});
