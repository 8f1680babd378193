import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { CronTrigger } from '../../../shared/contract/functions';
import { cronJob } from './manifest';
import { jobFromCronJob, manualRunName } from './run-now';
import { answerFromLog, runOfJob } from './runs';

const trigger = CronTrigger.parse({ schedule: '*/5 * * * *', payload: '{"tick":true}' });

describe('cron trigger manifest', () => {
  it('runs while enabled, is suspended when disabled, and calls the function with a cron-tick CloudEvent', () => {
    expect(cronJob('dev', 'hello', trigger, 'node:20', 30).spec?.suspend).toBe(false);
    const off = cronJob('dev', 'hello', { ...trigger, enabled: false }, 'node:20', 30);
    expect(off.spec?.suspend).toBe(true);
    const env = Object.fromEntries((off.spec?.jobTemplate.spec?.template.spec?.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ FUNCDECK_EVENT_TYPE: 'dev.funcdeck.cron.tick', FUNCDECK_EVENT_SOURCE: '/namespaces/dev/cronjobs/hello-cron', FUNCDECK_PAYLOAD: '{"tick":true}' });
    expect(off.spec?.jobTemplate.spec?.template.spec?.containers[0]?.command?.[2]).toMatch(/'ce-specversion': '1\.0'/);
  });
});

describe('run now', () => {
  const cron = { ...cronJob('dev', 'hello', trigger, 'node:20', 30), metadata: { ...cronJob('dev', 'hello', trigger, 'node:20', 30).metadata, uid: 'cron-uid' } } as V1CronJob;

  it('makes the Job kubectl create job --from=cronjob makes: the template, owned by the CronJob, marked manual, with Funcdeck labels', () => {
    const job = jobFromCronJob(cron, 'hello', 'hello-cron-mabc');
    expect(job.metadata).toEqual({
      name: 'hello-cron-mabc',
      namespace: 'dev',
      labels: { 'app.kubernetes.io/managed-by': 'funcdeck', 'funcdeck.dev/function': 'hello' },
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello-cron', uid: 'cron-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(job.spec).toEqual(cron.spec?.jobTemplate.spec);
  });

  it('names manual runs within Kubernetes limits for the longest function names', () => {
    const name = manualRunName('a'.repeat(40), Date.parse('2100-01-01T00:00:00Z'));
    expect(name).toMatch(/^a{40}-cron-m[0-9a-z]+$/);
    expect(name.length).toBeLessThanOrEqual(63);
  });
});

describe('last runs', () => {
  it('reads the answer line, or the failure, from a run’s log', () => {
    expect(answerFromLog(['x', 'cron call to http://hello.dev.svc:80/: HTTP 200 in 12 ms: {"ok":true}'])).toEqual({ answer: 'HTTP 200 in 12 ms: {"ok":true}', httpStatus: 200 });
    expect(answerFromLog(['cron call to http://hello.dev.svc:80/ failed (attempt 4): fetch failed (ECONNREFUSED)'])).toEqual({
      answer: 'failed (attempt 4): fetch failed (ECONNREFUSED)',
      httpStatus: null,
    });
    expect(answerFromLog([])).toEqual({ answer: null, httpStatus: null });
  });

  it('gives each Job its state, times, duration and why it failed', () => {
    const base = { metadata: { name: 'j', creationTimestamp: '2026-01-01T00:00:00Z' as unknown as Date } };
    expect(runOfJob({ ...base, status: { startTime: '2026-01-01T00:00:01Z' as unknown as Date, completionTime: '2026-01-01T00:00:03.5Z' as unknown as Date, succeeded: 1 } } as V1Job)).toMatchObject({
      state: 'succeeded',
      manual: false,
      durationMs: 2500,
      reason: null,
    });
    expect(runOfJob({ ...base, status: { active: 1 } } as V1Job)).toMatchObject({ state: 'running', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, durationMs: null });
    expect(
      runOfJob({
        metadata: { ...base.metadata, annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' } },
        status: { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', lastTransitionTime: '2026-01-01T00:01:30Z' as unknown as Date }] },
      } as V1Job),
    ).toMatchObject({ state: 'failed', manual: true, durationMs: 90_000, reason: 'DeadlineExceeded: Job was active longer than specified deadline' });
  });
});
