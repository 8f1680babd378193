import { describe, expect, it } from 'vitest';
import { cloudEventTemplates, cloudEventProblems, cloudEventRequest, type CloudEventFields } from './cloudevents';

const fields: CloudEventFields = { mode: 'binary', type: 'com.example.object.created', source: '/buckets/uploads', id: '', subject: 'photos/cät.png', time: '', datacontenttype: 'application/json' };
const now = () => new Date('2026-05-06T07:08:09.000Z');
const newId = () => 'generated-id';

describe('CloudEvents for the invoke panel', () => {
  it('binary mode: attributes as ce-* headers (non-ASCII percent-encoded), the data as the body with its content-type; other headers kept, stale ce-* replaced', () => {
    const out = cloudEventRequest(fields, '{"a":1}', [{ name: 'x-keep', value: '1' }, { name: 'ce-id', value: 'old' }, { name: 'Content-Type', value: 'text/plain' }], now, newId);
    expect(out.headers).toEqual([
      { name: 'ce-specversion', value: '1.0' },
      { name: 'ce-id', value: 'generated-id' },
      { name: 'ce-source', value: '/buckets/uploads' },
      { name: 'ce-type', value: 'com.example.object.created' },
      { name: 'ce-time', value: '2026-05-06T07:08:09.000Z' },
      { name: 'ce-subject', value: 'photos/c%C3%A4t.png' },
      { name: 'content-type', value: 'application/json' },
      { name: 'x-keep', value: '1' },
    ]);
    expect(out.body).toEqual({ kind: 'json', content: '{"a":1}' });
  });

  it('structured mode: one application/cloudevents+json document, JSON data embedded, text data as a string; a given id and time are kept', () => {
    const json = cloudEventRequest({ ...fields, mode: 'structured', id: 'e-1', time: '2026-01-01T00:00:00Z', subject: '' }, '{"a":1}', [], now, newId);
    expect(json.headers).toEqual([{ name: 'content-type', value: 'application/cloudevents+json; charset=utf-8' }]);
    expect(JSON.parse(json.body!.content)).toEqual({
      specversion: '1.0',
      id: 'e-1',
      source: '/buckets/uploads',
      type: 'com.example.object.created',
      time: '2026-01-01T00:00:00Z',
      datacontenttype: 'application/json',
      data: { a: 1 },
    });
    const text = cloudEventRequest({ ...fields, mode: 'structured', datacontenttype: 'text/plain' }, 'hello', [], now, newId);
    expect(JSON.parse(text.body!.content)).toMatchObject({ datacontenttype: 'text/plain', data: 'hello' });
    expect(() => cloudEventRequest({ ...fields, mode: 'structured' }, '{bad', [], now, newId)).toThrow(/not valid JSON/);
  });

  it('needs a type and a source, and a time that parses when one is given', () => {
    expect(cloudEventProblems(fields)).toEqual([]);
    expect(cloudEventProblems({ ...fields, type: ' ', source: '', time: 'yesterday' })).toHaveLength(3);
  });

  it('offers templates for a storage object created, a message and a cron tick, each with JSON data that parses', () => {
    const templates = cloudEventTemplates('hello', 'dev');
    expect(templates.map((t) => t.label)).toEqual(['Storage object created', 'A message', 'A cron tick']);
    expect(templates[2]!.fields).toMatchObject({ type: 'dev.funcdeck.cron.tick', source: '/namespaces/dev/cronjobs/hello-cron' });
    for (const t of templates) {
      expect(() => JSON.parse(t.data)).not.toThrow();
      expect(cloudEventProblems({ ...t.fields, mode: 'binary', id: '', time: '' })).toEqual([]);
    }
  });
});
