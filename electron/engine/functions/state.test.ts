import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { functionState, textRelation, type ClusterView, type EngineKnowledge } from './state';

const labels = (fn: string, rev?: number) => ({
  'app.kubernetes.io/managed-by': 'funcdeck',
  'funcdeck.dev/function': fn,
  'funcdeck.dev/runtime': 'nodejs',
  ...(rev ? { 'funcdeck.dev/revision': String(rev) } : {}),
});
const dep = (rev: number, replicas: number, annotations: Record<string, string> = {}) => ({
  metadata: {
    name: `a-r${rev}`,
    labels: labels('a', rev),
    annotations: { 'funcdeck.dev/checksum': `c${rev}`, 'funcdeck.dev/language': 'javascript', 'funcdeck.dev/created': `2026-01-0${rev}T00:00:00Z`, 'funcdeck.dev/image': 'img', ...annotations },
  },
  spec: { replicas },
});
const pod = (rev: number, status: Record<string, unknown>, n = 0) => ({ metadata: { name: `a-r${rev}-${n}`, labels: labels('a', rev) }, spec: { containers: [{ name: 'function' }] }, status });
const readyPod = (rev: number) => pod(rev, { containerStatuses: [{ name: 'function', ready: true, state: { running: {} } }] });
/** Running, but the kubelet's readiness probe has not passed yet. */
const runningPod = (rev: number) => pod(rev, { containerStatuses: [{ name: 'function', ready: false, state: { running: { startedAt: new Date().toISOString() } } }] });
const crashPod = (rev: number) => pod(rev, { containerStatuses: [{ name: 'function', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }] });
const pullFailPod = (rev: number) =>
  pod(rev, { containerStatuses: [{ name: 'function', image: 'localhost:1/missing:0', ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'connection refused' } } }] });
const svc = (serving: number) => ({ metadata: { name: 'a', labels: labels('a'), annotations: { 'funcdeck.dev/serving-revision': String(serving) } }, spec: { selector: {} } });
const view = (v: Partial<Record<keyof ClusterView, unknown[]>>): ClusterView => ({ deployments: [], pods: [], services: [], cronjobs: [], ...v }) as unknown as ClusterView;
const knowing = (k: { verified?: string[]; transition?: EngineKnowledge['transition'] extends (fn: string) => infer T ? T : never; routedTo?: { revision: number; from: number | null } }): EngineKnowledge => ({
  verifiedReady: (p: V1Pod) => (k.verified ?? []).includes(p.metadata?.name ?? ''),
  transition: () => k.transition ?? null,
  routedTo: () => k.routedTo ?? null,
});
const failed = { 'funcdeck.dev/failed-reason': 'The runtime image localhost:1/missing:0 could not be pulled (ImagePullBackOff).', 'funcdeck.dev/failed-at': '2026-01-05T00:00:00Z' };

describe('function state', () => {
  it('after a rollback from 3 to 2, says revision 2 serves, rolled back from 3 (also while 3 drains)', () => {
    for (const r3 of [0, 1]) {
      const s = functionState('a', view({ deployments: [dep(1, 0), dep(2, 1), dep(3, r3)], pods: [readyPod(2), ...(r3 ? [readyPod(3)] : [])], services: [svc(2)] }))!;
      expect(s.summary).toMatchObject({
        status: 'Ready',
        servingRevision: 2,
        latestRevision: 3,
        rolledBackFrom: 3,
        transition: null,
        traffic: [{ revision: 2, percent: 100 }],
        replicas: { ready: 1, desired: 1 },
        headline: 'Revision 2 serving (rolled back from 3)',
      });
      expect(s.revisions.map((r) => [r.number, r.serving, r.trafficPercent, r.rolledBackFrom, r.status])).toEqual([
        [3, false, 0, true, r3 ? 'Ready' : 'Idle'],
        [2, true, 100, false, 'Ready'],
        [1, false, 0, false, 'Idle'],
      ]);
    }
  });

  it('while a newer revision rolls out, says so, and is not "rolled back"', () => {
    const s = functionState('a', view({ deployments: [dep(1, 1), dep(2, 1)], pods: [readyPod(1), pod(2, {})], services: [svc(1)] }))!;
    expect(s.summary).toMatchObject({ status: 'Deploying', rolledBackFrom: null, transition: { kind: 'deploy', revision: 2 }, headline: 'Revision 1 serving; revision 2 rolling out' });
    expect(s.summary.reason).toMatch(/^Revision 2: /);
  });

  it('counts a pod the engine saw answer /readyz as ready before the kubelet does, in the function and the revision alike', () => {
    const v = view({ deployments: [dep(1, 0), dep(2, 1)], pods: [runningPod(2)], services: [svc(2)] });
    expect(functionState('a', v)!.summary).toMatchObject({ status: 'Deploying', replicas: { ready: 0, desired: 1 } });
    const s = functionState('a', v, knowing({ verified: ['a-r2-0'] }))!;
    expect(s.summary).toMatchObject({ status: 'Ready', reason: null, replicas: { ready: 1, desired: 1 }, headline: 'Revision 2 serving' });
    expect(s.revisions[0]).toMatchObject({ number: 2, status: 'Ready', ready: 1, desired: 1, reason: null });
  });

  it('a revision the engine has verified but not routed yet is still rolling out, not rolled back from', () => {
    const v = view({ deployments: [dep(1, 1), dep(2, 1)], pods: [readyPod(1), runningPod(2)], services: [svc(1)] });
    const s = functionState('a', v, knowing({ verified: ['a-r2-0'], transition: { kind: 'deploy', revision: 2 } }))!;
    expect(s.summary).toMatchObject({ status: 'Deploying', rolledBackFrom: null, transition: { kind: 'deploy', revision: 2 }, reason: 'Revision 2 is ready; moving traffic to it' });
  });

  it("counts the engine's own routing before the Service watch shows it", () => {
    const v = view({ deployments: [dep(1, 1), dep(2, 1)], pods: [readyPod(1), runningPod(2)], services: [svc(1)] });
    const s = functionState('a', v, knowing({ verified: ['a-r2-0'], routedTo: { revision: 2, from: 1 } }))!;
    expect(s.summary).toMatchObject({ status: 'Ready', servingRevision: 2, replicas: { ready: 1, desired: 1 }, rolledBackFrom: null, headline: 'Revision 2 serving' });
    expect(s.revisions.map((r) => [r.number, r.serving, r.status, `${r.ready}/${r.desired}`])).toEqual([
      [2, true, 'Ready', '1/1'],
      [1, false, 'Ready', '1/1'],
    ]);
    // A view that shows neither (someone else moved traffic since) is newer than what the engine knows.
    const moved = view({ deployments: [dep(1, 1), dep(2, 1), dep(3, 1)], pods: [readyPod(1), readyPod(2), readyPod(3)], services: [svc(3)] });
    expect(functionState('a', moved, knowing({ routedTo: { revision: 2, from: 1 } }))!.summary.servingRevision).toBe(3);
  });

  it('a revision with a failure on record that the engine starts again shows as starting, not Failed', () => {
    const v = view({ deployments: [dep(1, 1, failed), dep(2, 1)], pods: [pod(1, {}), readyPod(2)], services: [svc(2)] });
    expect(functionState('a', v)!.revisions[1]).toMatchObject({ number: 1, status: 'Failed' });
    const s = functionState('a', v, knowing({ transition: { kind: 'rollback', revision: 1 } }))!;
    expect(s.revisions[1]).toMatchObject({ number: 1, status: 'Deploying' });
    expect(s.summary).toMatchObject({ status: 'Deploying', headline: 'Revision 2 serving; rolling back to revision 1' });
  });

  it('a rollback under way says which revision it wakes', () => {
    const v = view({ deployments: [dep(1, 1), dep(2, 1)], pods: [pod(1, {}), readyPod(2)], services: [svc(2)] });
    const s = functionState('a', v, knowing({ transition: { kind: 'rollback', revision: 1 } }))!;
    expect(s.summary).toMatchObject({ status: 'Deploying', transition: { kind: 'rollback', revision: 1 }, headline: 'Revision 2 serving; rolling back to revision 1' });
  });

  it('a failed newest revision with an older one serving: Failed, and the older one still serves', () => {
    const s = functionState('a', view({ deployments: [dep(1, 1), dep(2, 1)], pods: [readyPod(1), crashPod(2)], services: [svc(1)] }))!;
    expect(s.summary).toMatchObject({ status: 'Failed', servingRevision: 1, rolledBackFrom: null, transition: null, headline: 'Revision 1 serving; revision 2 failed' });
    expect(s.summary.reason).toMatch(/^Revision 2: The function crashed at start.*Revision 1 still serves\.$/);
    expect(s.summary.failedRevisions).toEqual([{ revision: 2, reason: expect.stringMatching(/crashed at start/) }]);
    expect(s.revisions[0]).toMatchObject({ number: 2, status: 'Failed' });
  });

  it('an image that cannot be pulled fails the revision with the image named', () => {
    const s = functionState('a', view({ deployments: [dep(1, 1), dep(2, 1)], pods: [readyPod(1), pullFailPod(2)], services: [svc(1)] }))!;
    expect(s.revisions[0]).toMatchObject({ status: 'Failed', reason: expect.stringMatching(/localhost:1\/missing:0 could not be pulled/) });
  });

  it('an old failed revision scaled to zero stays Failed with its reason, never "Idle 0/0"', () => {
    const s = functionState('a', view({ deployments: [dep(1, 0, failed), dep(2, 1)], pods: [readyPod(2)], services: [svc(2)] }))!;
    expect(s.revisions[1]).toMatchObject({ number: 1, status: 'Failed', ready: 0, desired: 0, reason: failed['funcdeck.dev/failed-reason'], failedAt: '2026-01-05T00:00:00Z' });
    expect(s.summary).toMatchObject({ status: 'Ready', headline: 'Revision 2 serving', failedRevisions: [{ revision: 1, reason: failed['funcdeck.dev/failed-reason'] }] });
  });

  it('a failed newest revision scaled to zero by a rollback is a failure, not a rollback', () => {
    const s = functionState('a', view({ deployments: [dep(1, 1), dep(2, 0, failed)], pods: [readyPod(1)], services: [svc(1)] }))!;
    expect(s.summary).toMatchObject({ status: 'Failed', rolledBackFrom: null, headline: 'Revision 1 serving; revision 2 failed' });
    expect(s.revisions[0]).toMatchObject({ number: 2, status: 'Failed', rolledBackFrom: false });
  });

  it('a revision that runs Ready again wins over an old failure on record', () => {
    const s = functionState('a', view({ deployments: [dep(1, 1, failed)], pods: [readyPod(1)], services: [svc(1)] }))!;
    expect(s.revisions[0]).toMatchObject({ status: 'Ready', reason: null });
    expect(s.summary.failedRevisions).toEqual([]);
  });

  it('the first revision, before any pod: Deploying, not yet "serving"', () => {
    const v = view({ deployments: [dep(1, 1)], pods: [pod(1, {})], services: [svc(1)] });
    expect(functionState('a', v)!.summary).toMatchObject({ status: 'Deploying', headline: 'Revision 1 starting', rolledBackFrom: null });
    const deploying = functionState('a', v, knowing({ transition: { kind: 'deploy', revision: 1 } }))!;
    expect(deploying.summary).toMatchObject({ status: 'Deploying', headline: 'Revision 1 rolling out', transition: { kind: 'deploy', revision: 1 } });
  });
});

describe('editor text against the revisions', () => {
  const afterRollback = functionState('a', view({ deployments: [dep(1, 0), dep(2, 1), dep(3, 0)], pods: [readyPod(2)], services: [svc(2)] }));

  it('tells the serving revision, a newer or older one, and a draft apart', () => {
    expect(textRelation('c2', afterRollback)).toEqual({ checksum: 'c2', revision: 2, relation: 'serving', servingRevision: 2 });
    expect(textRelation('c3', afterRollback)).toMatchObject({ revision: 3, relation: 'newer' });
    expect(textRelation('c1', afterRollback)).toMatchObject({ revision: 1, relation: 'older' });
    expect(textRelation('edited', afterRollback)).toMatchObject({ revision: null, relation: 'draft' });
    expect(textRelation(null, afterRollback)).toMatchObject({ checksum: null, revision: null, relation: 'draft' });
    expect(textRelation('c1', null)).toEqual({ checksum: 'c1', revision: null, relation: 'draft', servingRevision: null });
  });
});
