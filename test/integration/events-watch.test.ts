import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine';
import { openSession } from '../../electron/transport/session';
import type { ServerMessage } from '../../shared/contract';
import type { EventsSnapshot } from '../../shared/contract/events';
import { testCluster } from '../support/cluster-target';

/** events.watch on the real cluster: a pod we create shows its scheduling and start events, filtered to its function. */
const tc = testCluster();
const ns = `fd-it-events-${Math.random().toString(36).slice(2, 8)}`;
const core = tc.kc.makeApiClient(CoreV1Api);
let engine: Engine;
let tmp: string;

const pod = (name: string, labels: Record<string, string> = {}) =>
  core.createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name, labels },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'main', image: tc.images.nodejs, imagePullPolicy: 'IfNotPresent', command: ['sleep', '300'] }],
      },
    },
  });

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: ns } } });
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fd-it-events-'));
  await fs.writeFile(path.join(tmp, 'config'), tc.kc.exportConfig());
  engine = createEngine({ mode: 'web', version: 'test', env: { ...process.env, KUBECONFIG: path.join(tmp, 'config'), HOME: tmp }, homeDir: tmp, dataDir: tmp });
  await engine.calls['clusters.select']({ context: tc.context, namespace: ns });
});
afterAll(async () => {
  await engine?.dispose();
  await core.deleteNamespace({ name: ns }).catch(() => undefined);
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

function subscribe(params: Record<string, unknown>) {
  const snapshots: Array<{ at: number; s: EventsSnapshot }> = [];
  let ended: unknown;
  const session = openSession(engine, (m: ServerMessage) => {
    if (m.type === 'event') snapshots.push({ at: performance.now(), s: m.value as EventsSnapshot });
    if (m.type === 'end') ended = m.error ?? null;
  });
  void session.receive(JSON.stringify({ type: 'subscribe', id: 'e1', stream: 'events.watch', params }));
  const until = async (pred: (s: EventsSnapshot) => boolean, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const last = snapshots.at(-1)?.s;
      if (last && pred(last)) return last;
      if (ended !== undefined) throw new Error(`stream ended: ${JSON.stringify(ended)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out; last snapshot ${JSON.stringify(snapshots.at(-1)?.s).slice(0, 1500)}`);
  };
  return { snapshots, until, close: () => session.close(), ended: () => ended };
}

describe('events.watch (real cluster)', () => {
  it("shows a function's pod events newest first, and nothing of other objects, not even look-alike names", async () => {
    const fn = subscribe({ function: 'evtfn' });
    const byName = subscribe({ kind: 'Pod', name: 'other-pod' });
    await fn.until(() => true); // the first (empty) snapshot arrives before any pod exists
    const t0 = performance.now();
    // Only the pod with both of Funcdeck's labels is the function's; one merely named like it is not.
    await Promise.all([pod('evtfn-r1-abc12', { 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'evtfn' }), pod('evtfn-r2-lookalike'), pod('other-pod')]);
    const s = await fn.until((x) => ['Scheduled', 'Started'].every((r) => x.events.some((e) => e.reason === r)));
    console.log(`pod events seen ${((fn.snapshots.at(-1)!.at - t0) / 1000).toFixed(1)} s after create: ${s.events.map((e) => e.reason).join(', ')}; ${fn.snapshots.length} snapshots`);
    expect(s.events.every((e) => e.involvedObject.name === 'evtfn-r1-abc12')).toBe(true);
    expect(s.events.find((e) => e.reason === 'Scheduled')).toMatchObject({ type: 'Normal', involvedObject: { kind: 'Pod', name: 'evtfn-r1-abc12', namespace: ns } });
    const times = s.events.map((e) => e.lastSeen ?? '');
    expect([...times].sort().reverse()).toEqual(times);
    expect(s.truncated).toBe(false);

    const other = await byName.until((x) => x.events.some((e) => e.reason === 'Started'));
    expect(other.events.every((e) => e.involvedObject.name === 'other-pod')).toBe(true);
    // Batched: far fewer snapshots than the events they carried would need one by one.
    expect(fn.snapshots.length).toBeLessThanOrEqual(s.events.length + 1);
    fn.close();
    byName.close();
  });

  it('caps the list at `limit` and says it was truncated', async () => {
    const sub = subscribe({ limit: 2 });
    const s = await sub.until((x) => x.truncated);
    expect(s.events).toHaveLength(2);
    sub.close();
  });
});
