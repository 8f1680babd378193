import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podState, readinessFailing } from './pod-status';

const pod = (status: Record<string, unknown>, limits = { memory: '128Mi' }): V1Pod =>
  ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'function', resources: { limits } }] }, status }) as unknown as V1Pod;
const fn = (s: Record<string, unknown>) => ({ containerStatuses: [{ name: 'function', image: 'img:1', ready: false, restartCount: 0, ...s }] });

describe('podState', () => {
  it('is ready when the function container is ready', () => {
    expect(podState(pod(fn({ ready: true, state: { running: {} } })))).toMatchObject({ phase: 'ready', ready: true, reason: null });
  });

  it('explains an image that cannot be pulled, naming it', () => {
    const s = podState(pod(fn({ state: { waiting: { reason: 'ImagePullBackOff', message: 'back-off pulling' } } })));
    expect(s.phase).toBe('failed');
    expect(s.reason).toMatch(/runtime image img:1 could not be pulled \(ImagePullBackOff: back-off pulling\)/);
    expect(podState(pod(fn({ state: { waiting: { reason: 'ErrImageNeverPull' } } }))).reason).toMatch(/pull policy forbids/);
  });

  it('fails on the first crash and asks for the previous run’s logs', () => {
    const s = podState(pod(fn({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } })));
    expect(s).toMatchObject({ phase: 'failed', logsFrom: { container: 'function', previous: true } });
    expect(s.reason).toMatch(/crashed at start \(exit code 1\)/);
    const now = podState(pod(fn({ state: { terminated: { exitCode: 2, reason: 'Error' } } })));
    expect(now.logsFrom).toEqual({ container: 'function', previous: false });
  });

  it('names OOMKilled with the memory limit', () => {
    const s = podState(pod(fn({ state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }), { memory: '96Mi' }));
    expect(s.reason).toMatch(/ran out of memory \(limit 96Mi\)/);
  });

  it('explains an unschedulable pod', () => {
    const s = podState(pod({ conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes: Insufficient cpu' }] }));
    expect(s).toMatchObject({ phase: 'failed' });
    expect(s.reason).toMatch(/Insufficient cpu.*smaller size/);
  });

  it('is building while the dependency install runs, and failed when it fails', () => {
    const running = pod({ initContainerStatuses: [{ name: 'install-deps', image: 'img', ready: false, restartCount: 0, state: { running: {} } }] });
    expect(podState(running).phase).toBe('building');
    const failed = pod({ initContainerStatuses: [{ name: 'install-deps', image: 'img', ready: false, restartCount: 0, state: { terminated: { exitCode: 1 } } }] });
    expect(podState(failed)).toMatchObject({ phase: 'failed', logsFrom: { container: 'install-deps', previous: false } });
    expect(podState(failed).reason).toMatch(/Installing dependencies failed/);
  });

  it('calls readiness failing only after the grace period', () => {
    const started = new Date(Date.now() - 40_000).toISOString();
    expect(readinessFailing(pod(fn({ state: { running: { startedAt: started } } })))).toMatch(/readiness check/);
    expect(readinessFailing(pod(fn({ state: { running: { startedAt: new Date().toISOString() } } })))).toBeNull();
  });
});
