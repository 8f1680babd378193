import { describe, expect, it } from 'vitest';
import { summarize, revisionsOf, type ClusterView } from './summarize';

const labels = (fn: string, rev?: number) => ({
  'app.kubernetes.io/managed-by': 'funcdeck',
  'funcdeck.dev/function': fn,
  'funcdeck.dev/runtime': 'nodejs',
  ...(rev ? { 'funcdeck.dev/revision': String(rev) } : {}),
});
const dep = (fn: string, rev: number, replicas: number) => ({
  metadata: { name: `${fn}-r${rev}`, labels: labels(fn, rev), annotations: { 'funcdeck.dev/checksum': `c${rev}`, 'funcdeck.dev/language': 'javascript', 'funcdeck.dev/created': `2026-01-0${rev}T00:00:00Z`, 'funcdeck.dev/image': 'img' } },
  spec: { replicas },
});
const pod = (fn: string, rev: number, status: Record<string, unknown>) => ({ metadata: { name: `${fn}-r${rev}-x`, labels: labels(fn, rev) }, spec: { containers: [{ name: 'function' }] }, status });
const readyPod = (fn: string, rev: number) => pod(fn, rev, { containerStatuses: [{ name: 'function', ready: true, state: { running: {} } }] });
const crashPod = (fn: string, rev: number) => pod(fn, rev, { containerStatuses: [{ name: 'function', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }] });
const svc = (fn: string, serving: number) => ({ metadata: { name: fn, labels: labels(fn), annotations: { 'funcdeck.dev/serving-revision': String(serving) } }, spec: { selector: {} } });
const view = (v: Partial<Record<keyof ClusterView, unknown[]>>): ClusterView => ({ deployments: [], pods: [], services: [], cronjobs: [], ...v }) as unknown as ClusterView;

describe('summarize', () => {
  it('is Ready when the serving revision has its pods ready', () => {
    const [s] = summarize(view({ deployments: [dep('a', 1, 1)], pods: [readyPod('a', 1)], services: [svc('a', 1)] }));
    expect(s).toMatchObject({ name: 'a', status: 'Ready', reason: null, replicas: { ready: 1, desired: 1 }, latestRevision: 1, servingRevision: 1, language: 'javascript' });
  });

  it('is Deploying while a newer revision rolls out, and Failed (old one still serving) when it crashes', () => {
    const rolling = summarize(view({ deployments: [dep('a', 1, 0), dep('a', 2, 1)], pods: [readyPod('a', 1), pod('a', 2, {})], services: [svc('a', 1)] }))[0]!;
    expect(rolling.status).toBe('Deploying');
    const crashed = summarize(view({ deployments: [dep('a', 1, 1), dep('a', 2, 1)], pods: [readyPod('a', 1), crashPod('a', 2)], services: [svc('a', 1)] }))[0]!;
    expect(crashed.status).toBe('Failed');
    expect(crashed.reason).toMatch(/^Revision 2: The function crashed at start.*Revision 1 still serves\.$/);
  });

  it('looks at the serving revision after a rollback (newer revision scaled to zero)', () => {
    const s = summarize(view({ deployments: [dep('a', 1, 1), dep('a', 2, 0)], pods: [readyPod('a', 1)], services: [svc('a', 1)] }))[0]!;
    expect(s).toMatchObject({ status: 'Ready', latestRevision: 2, servingRevision: 1 });
  });

  it('is Ready right after a rollback, while the newer revision still runs out its drain time', () => {
    const s = summarize(view({ deployments: [dep('a', 1, 1), dep('a', 2, 1)], pods: [readyPod('a', 1), readyPod('a', 2)], services: [svc('a', 1)] }))[0]!;
    expect(s).toMatchObject({ status: 'Ready', reason: null, replicas: { ready: 1, desired: 1 }, latestRevision: 2, servingRevision: 1 });
  });

  it('is Deploying when the first revision is ready but no Service routes to it yet', () => {
    const s = summarize(view({ deployments: [dep('a', 1, 1)], pods: [readyPod('a', 1)], services: [] }))[0]!;
    expect(s.status).toBe('Deploying');
  });

  it('lists revisions newest first with traffic and Idle for scaled-down ones', () => {
    const revs = revisionsOf('a', view({ deployments: [dep('a', 1, 0), dep('a', 2, 1)], pods: [readyPod('a', 2)], services: [svc('a', 2)] }));
    expect(revs.map((r) => [r.number, r.trafficPercent, r.status, r.ready, r.desired, r.checksum])).toEqual([
      [2, 100, 'Ready', 1, 1, 'c2'],
      [1, 0, 'Idle', 0, 0, 'c1'],
    ]);
  });

  it('keeps a failed revision Failed with its reason once scaled to zero (not Idle 0/0)', () => {
    const failedDep = { ...dep('a', 1, 0), metadata: { ...dep('a', 1, 0).metadata, annotations: { ...dep('a', 1, 0).metadata.annotations, 'funcdeck.dev/failed-reason': 'The runtime image x could not be pulled.' } } };
    const revs = revisionsOf('a', view({ deployments: [failedDep, dep('a', 2, 1)], pods: [readyPod('a', 2)], services: [svc('a', 2)] }));
    expect(revs.map((r) => [r.number, r.status, r.reason])).toEqual([
      [2, 'Ready', null],
      [1, 'Failed', 'The runtime image x could not be pulled.'],
    ]);
  });

  it('says a rollback happened, in the summary every view reads', () => {
    const [s] = summarize(view({ deployments: [dep('a', 1, 1), dep('a', 2, 0)], pods: [readyPod('a', 1)], services: [svc('a', 1)] }));
    expect(s).toMatchObject({ servingRevision: 1, rolledBackFrom: 2, headline: 'Revision 1 serving (rolled back from 2)' });
  });
});
