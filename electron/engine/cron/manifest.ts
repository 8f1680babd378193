import type { V1CronJob } from '@kubernetes/client-node';
import { CRON_TICK_TYPE, cronTickSource } from '../../../shared/contract/cron';
import type { CronTrigger } from '../../../shared/contract/functions';
import { merged, type ObjectMetadata } from '../deploy/extras';
import { cronJobName, functionLabels } from '../deploy/names';

// Runs in the job's pod on the Node runtime image: POSTs the payload to the function's Service as a
// CloudEvent in binary mode (the handler sees event-type, -namespace, -id and -time from it; the id
// is the run's pod, the same on a retry) and fails the job (so its status shows it) when the
// function does not answer 2xx.
const CALLER = `
const url = process.env.FUNCDECK_URL;
const body = process.env.FUNCDECK_PAYLOAD || '';
const timeoutMs = Number(process.env.FUNCDECK_TIMEOUT_MS);
const id = process.env.HOSTNAME || String(Date.now());
const time = new Date().toISOString();
// Network failures (the function restarting, a Service just created) are retried a few times;
// an HTTP error answer is the function's own and is not.
async function call(attempt) {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': process.env.FUNCDECK_CONTENT_TYPE || 'application/json',
        'ce-specversion': '1.0',
        'ce-id': id,
        'ce-type': process.env.FUNCDECK_EVENT_TYPE,
        'ce-source': process.env.FUNCDECK_EVENT_SOURCE,
        'ce-time': time,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    console.log('cron call to ' + url + ': HTTP ' + res.status + ' in ' + (Date.now() - started) + ' ms: ' + text.slice(0, 500));
    process.exit(res.ok ? 0 : 1);
  } catch (e) {
    const cause = e && e.cause ? ' (' + (e.cause.code || e.cause.message) + ')' : '';
    console.log('cron call to ' + url + ' failed (attempt ' + attempt + '): ' + (e && e.message) + cause);
    if (attempt >= 4 || (e && e.name === 'TimeoutError')) process.exit(1);
    setTimeout(() => call(attempt + 1), attempt * 1000);
  }
}
call(1);
`;

/** A CronJob that calls the function's Service by its cluster DNS name on the schedule. */
export function cronJob(namespace: string, fn: string, trigger: CronTrigger, image: string, timeoutSeconds: number, meta?: ObjectMetadata): V1CronJob & { apiVersion: string; kind: string } {
  // The spec's labels and annotations (extras.ts) under Funcdeck's own.
  const labels = merged(meta?.labels ?? {}, functionLabels(fn));
  const annotations = meta && Object.keys(meta.annotations).length ? { annotations: meta.annotations } : {};
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: cronJobName(fn), namespace, labels, ...annotations },
    spec: {
      schedule: trigger.schedule,
      suspend: trigger.enabled === false,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 60,
      successfulJobsHistoryLimit: 2,
      failedJobsHistoryLimit: 2,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: timeoutSeconds + 60,
          ttlSecondsAfterFinished: 3600,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              containers: [
                {
                  name: 'call',
                  image,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['node', '-e', CALLER],
                  env: [
                    { name: 'FUNCDECK_URL', value: `http://${fn}.${namespace}.svc:80/` },
                    { name: 'FUNCDECK_PAYLOAD', value: trigger.payload },
                    { name: 'FUNCDECK_CONTENT_TYPE', value: trigger.contentType },
                    { name: 'FUNCDECK_TIMEOUT_MS', value: String((timeoutSeconds + 10) * 1000) },
                    { name: 'FUNCDECK_EVENT_TYPE', value: CRON_TICK_TYPE },
                    { name: 'FUNCDECK_EVENT_SOURCE', value: cronTickSource(namespace, fn) },
                  ],
                  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '250m', memory: '96Mi' } },
                },
              ],
            },
          },
        },
      },
    },
  };
}
