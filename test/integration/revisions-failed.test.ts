import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, createNamespace, deleteNamespace, eventually, harness, nodeSpec, type FunctionsHarness } from './support-functions';

/**
 * Issue 9: a revision that failed stays marked Failed with its reason, also once scaled to zero
 * (never "Idle 0/0"), and the revisions say what changed, including an image-only change.
 */
let ns: string;
let h: FunctionsHarness;
beforeAll(async () => {
  ns = await createNamespace('rev-failed');
  h = harness(ns);
});
afterAll(async () => {
  await h?.dispose();
  if (ns) await deleteNamespace(ns);
});

describe('a revision whose image cannot be pulled', () => {
  it('stays Failed with the reason after a rollback scales it to zero, and shows the image change', async () => {
    const spec = nodeSpec('pulls', "exports.main = () => 'ok';");
    await h.call('functions.deploy', { spec, wait: true });
    const bad = harness(ns, { runtimeImages: { nodejs: 'localhost:1/funcdeck/missing:0', python: cluster.images.python } });
    try {
      await expect(bad.call('functions.deploy', { spec, wait: true })).rejects.toMatchObject({ code: 'DEPLOY_FAILED' });
    } finally {
      await bad.dispose();
    }
    // Rolling back to 1 scales every other revision to zero after the drain time.
    await h.call('revisions.rollback', { name: 'pulls', revision: 1 });
    const listed = await eventually(async () => {
      const l = await h.call('revisions.list', { name: 'pulls' });
      expect(l.revisions.find((r) => r.number === 2)).toMatchObject({ desired: 0, ready: 0 });
      return l;
    }, 30_000);
    const [two, one] = listed.revisions;
    expect(two).toMatchObject({ number: 2, status: 'Failed', reason: expect.stringMatching(/localhost:1\/funcdeck\/missing:0 could not be pulled/), failedAt: expect.any(String) });
    expect(two!.settings).toMatchObject({ image: 'localhost:1/funcdeck/missing:0', size: 'S', timeoutSeconds: 180 });
    expect(two!.changes).toEqual({ from: 1, files: [], linesAdded: 0, linesRemoved: 0, settings: ['image'] });
    expect(one).toMatchObject({ number: 1, status: 'Ready', serving: true, changes: null, settings: { image: cluster.images.nodejs } });
    expect(listed.summary).toMatchObject({ servingRevision: 1, rolledBackFrom: null, failedRevisions: [{ revision: 2 }], headline: 'Revision 1 serving; revision 2 failed' });
    const source = await h.call('revisions.source', { name: 'pulls', revision: 2 });
    expect(source.image).toBe('localhost:1/funcdeck/missing:0');
  }, 180_000);
});
