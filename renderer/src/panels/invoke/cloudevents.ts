import { CRON_TICK_TYPE, cronTickSource } from '../../../../shared/contract/cron';
import type { InvokeBody, NameValue } from '../../../../shared/contract/invoke';

/**
 * CloudEvents 1.0 over HTTP as the invoke panel sends them: binary mode (attributes as ce-* headers,
 * the body is the data) or structured mode (one application/cloudevents+json document).
 */
export type CloudEventMode = 'binary' | 'structured';


export interface CloudEventFields {
  mode: CloudEventMode;
  type: string;
  source: string;
  /** Empty: a new id on every send. */
  id: string;
  subject: string;
  /** Empty: the time of sending. */
  time: string;
  datacontenttype: string;
}

export interface CloudEventTemplate {
  id: string;
  label: string;
  fields: Omit<CloudEventFields, 'mode' | 'id' | 'time'>;
  /** The body editor's content (the event's data) and its kind. */
  data: string;
  bodyKind: 'json' | 'text';
}

/** Templates for common sources; the cron tick is what the function's own cron trigger sends. */
export const cloudEventTemplates = (fn: string, namespace: string): CloudEventTemplate[] => [
  {
    id: 'storage',
    label: 'Storage object created',
    fields: { type: 'com.example.storage.object.created', source: '/buckets/uploads', subject: 'photos/cat.png', datacontenttype: 'application/json' },
    data: JSON.stringify({ bucket: 'uploads', name: 'photos/cat.png', size: 48213, contentType: 'image/png', etag: '9b2cf535f27731c974343645a3985328' }, null, 2),
    bodyKind: 'json',
  },
  {
    id: 'message',
    label: 'A message',
    fields: { type: 'com.example.queue.message', source: '/queues/orders', subject: '', datacontenttype: 'application/json' },
    data: JSON.stringify({ orderId: 'A-1001', items: [{ sku: 'cup', quantity: 2 }], total: 18.5 }, null, 2),
    bodyKind: 'json',
  },
  {
    // What the function's cron trigger sends on each run (electron/engine/cron/manifest.ts).
    id: 'cron',
    label: 'A cron tick',
    fields: { type: CRON_TICK_TYPE, source: cronTickSource(namespace, fn), subject: '', datacontenttype: 'application/json' },
    data: '{}',
    bodyKind: 'json',
  },
];

export const EMPTY_CLOUD_EVENT: CloudEventFields = { mode: 'binary', type: '', source: '', id: '', subject: '', time: '', datacontenttype: 'application/json' };

/** What is missing before the event can be sent (type and source are required; id and time are filled in). */
export function cloudEventProblems(f: CloudEventFields): string[] {
  const out: string[] = [];
  if (!f.type.trim()) out.push('Give the event a type, e.g. com.example.object.created.');
  if (!f.source.trim()) out.push('Give the event a source, e.g. /buckets/uploads.');
  if (f.time.trim() && Number.isNaN(Date.parse(f.time))) out.push('Give the time as RFC 3339, e.g. 2026-05-06T07:08:09Z, or leave it empty for now.');
  return out;
}

const isJsonType = (t: string) => /^application\/([\w.+-]*\+)?json\b/i.test(t.trim());

/** A header value of the HTTP binding: printable ASCII, other characters percent-encoded. */
function headerValue(v: string): string {
  return v.replace(/[^\x20-\x7e]|%/g, (c) => encodeURIComponent(c));
}

/**
 * The headers and body to send for an event whose data is `data` (the body editor's text).
 * `now` and `newId` fill an empty time and id. Headers named like the event's own are replaced.
 */
export function cloudEventRequest(
  f: CloudEventFields,
  data: string,
  headers: NameValue[],
  now: () => Date = () => new Date(),
  newId: () => string = () => crypto.randomUUID(),
): { headers: NameValue[]; body: InvokeBody | null } {
  const attrs: Record<string, string> = { specversion: '1.0', id: f.id.trim() || newId(), source: f.source.trim(), type: f.type.trim(), time: f.time.trim() || now().toISOString() };
  if (f.subject.trim()) attrs.subject = f.subject.trim();
  const contentType = f.datacontenttype.trim() || 'application/json';
  const others = headers.filter((h) => !/^ce-/i.test(h.name) && h.name.toLowerCase() !== 'content-type');
  if (f.mode === 'binary') {
    return {
      headers: [...Object.entries(attrs).map(([k, v]) => ({ name: `ce-${k}`, value: headerValue(v) })), { name: 'content-type', value: contentType }, ...others],
      body: data.trim() ? { kind: isJsonType(contentType) ? 'json' : 'text', content: data } : null,
    };
  }
  let value: unknown = data;
  if (isJsonType(contentType)) {
    try {
      value = data.trim() ? JSON.parse(data) : null;
    } catch (e) {
      throw new Error(`The event's data is not valid JSON (${(e as Error).message}); fix it or change its content type.`, { cause: e });
    }
  }
  const doc = { ...attrs, datacontenttype: contentType, ...(data.trim() ? { data: value } : {}) };
  return {
    headers: [{ name: 'content-type', value: 'application/cloudevents+json; charset=utf-8' }, ...others],
    body: { kind: 'text', content: JSON.stringify(doc, null, 2) },
  };
}
