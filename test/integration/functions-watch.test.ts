import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deleteNamespace, harness, nodeSpec, sleep, type FunctionsHarness } from './support-functions';

/** functions.watch: the namespace's functions as they change, from watches; ends on a target switch. */
let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('fn-watch');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

async function until(what: string, ok: () => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('functions.watch', () => {
  it('shows a function appear, become Ready, fail in a new revision, and go away; and ends on a switch', async () => {
    const sub = h.subscribe('functions.watch', {});
    await until('first snapshot', () => sub.events.length > 0);
    expect(sub.events[0]).toMatchObject({ namespace: ns, functions: [] });

    await h.call('functions.deploy', { spec: nodeSpec('watched', "exports.main = () => 'ok';") });
    const statusOf = () => sub.events.at(-1)?.functions.find((f) => f.name === 'watched');
    await until('Ready', () => statusOf()?.status === 'Ready');
    const seen = sub.events.map((e) => e.functions.find((f) => f.name === 'watched')?.status).filter(Boolean);
    expect(seen[0]).not.toBe('Ready'); // it was seen on its way (Deploying or Unknown) before Ready
    expect(statusOf()).toMatchObject({ replicas: { ready: 1, desired: 1 }, servingRevision: 1 });

    await h.call('functions.deploy', { spec: nodeSpec('watched', "throw new Error('bad revision');") }).catch(() => undefined);
    await until('Failed', () => statusOf()?.status === 'Failed');
    expect(statusOf()?.reason).toMatch(/Revision 2: .*crashed.*Revision 1 still serves/);

    await h.call('functions.delete', { name: 'watched' });
    await until('gone', () => sub.events.at(-1)!.functions.every((f) => f.name !== 'watched'));

    // At most a few events a second, even while pods churn.
    expect(sub.events.length).toBeLessThan(200);

    h.switchAway();
    await sub.done;
  });
});
