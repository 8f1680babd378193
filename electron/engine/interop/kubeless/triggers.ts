import { CronSchedule, type CronTrigger } from '../../../../shared/contract/functions';
import type { NotCarried } from '../../../../shared/contract/interop';
import type { Json } from './reader';

/**
 * kubeless triggers: a CronJobTrigger becomes the function's cron trigger (kubeless sent its payload
 * as JSON, as Funcdeck's cron will); HTTP, Kafka, NATS and Kinesis triggers have no Funcdeck
 * counterpart and are listed with what they did.
 */

export interface KubelessObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, Json>;
}

export const TRIGGER_KINDS = ['CronJobTrigger', 'HTTPTrigger', 'KafkaTrigger', 'NATSTrigger', 'KinesisTrigger'] as const;

const nameOf = (o: KubelessObject) => o.metadata?.name ?? '(unnamed)';

/** Whether a trigger points at this function: by name (cron, HTTP) or by a label selector (Kafka, NATS, Kinesis). */
export function triggers(t: KubelessObject, fn: { name: string; namespace: string | null; labels: Record<string, string> }): boolean {
  const ns = t.metadata?.namespace ?? null;
  if (ns && fn.namespace && ns !== fn.namespace) return false;
  const spec = t.spec ?? {};
  if (typeof spec['function-name'] === 'string') return spec['function-name'] === fn.name;
  const selector = spec.functionSelector;
  const match = selector && typeof selector === 'object' && !Array.isArray(selector) ? selector.matchLabels : undefined;
  if (!match || typeof match !== 'object' || Array.isArray(match)) return false;
  const entries = Object.entries(match);
  return entries.length > 0 && entries.every(([k, v]) => fn.labels[k] === v);
}

/** A CronJobTrigger as Funcdeck's cron trigger, or why it cannot be. */
export function cronFrom(t: KubelessObject): { cron: CronTrigger } | { notCarried: NotCarried } {
  const schedule = typeof t.spec?.schedule === 'string' ? t.spec.schedule : '';
  const checked = CronSchedule.safeParse(schedule);
  if (!checked.success) return { notCarried: { what: `CronJobTrigger ${nameOf(t)} (schedule "${schedule}")`, why: checked.error.issues[0]?.message ?? 'Not a schedule Funcdeck takes.' } };
  const payload = t.spec?.payload;
  // kubeless marshalled the payload to JSON and sent nothing when it was absent.
  return { cron: { schedule: checked.data, payload: payload === undefined || payload === null ? '' : JSON.stringify(payload), contentType: 'application/json' } };
}

/** Why a trigger of another kind is not carried, naming what it did. */
export function otherTrigger(t: KubelessObject): NotCarried {
  const spec = t.spec ?? {};
  const s = (k: string) => (typeof spec[k] === 'string' ? (spec[k] as string) : '');
  switch (t.kind) {
    case 'HTTPTrigger':
      return {
        what: `HTTPTrigger ${nameOf(t)}${s('host-name') ? ` (host ${s('host-name')}${s('path') ? `, path /${s('path').replace(/^\//, '')}` : ''})` : ''}`,
        why: 'Funcdeck makes no Ingress; the function answers through its Service (and the invoke panel). Expose it with an Ingress of your own.',
      };
    case 'KafkaTrigger':
      return { what: `KafkaTrigger ${nameOf(t)}${s('topic') ? ` (topic ${s('topic')})` : ''}`, why: 'Funcdeck has no Kafka trigger; a consumer of your own can POST each message to the function.' };
    case 'NATSTrigger':
      return { what: `NATSTrigger ${nameOf(t)}${s('topic') ? ` (topic ${s('topic')})` : ''}`, why: 'Funcdeck has no NATS trigger; a subscriber of your own can POST each message to the function.' };
    case 'KinesisTrigger':
      return { what: `KinesisTrigger ${nameOf(t)}${s('stream') ? ` (stream ${s('stream')})` : ''}`, why: 'Funcdeck has no Kinesis trigger.' };
    default:
      return { what: `${t.kind ?? 'object'} ${nameOf(t)}`, why: 'Not a kubeless trigger Funcdeck knows.' };
  }
}
