'use strict';
// The kubeless handler contract of Funcdeck's Node.js runtime, as plain functions the worker thread
// uses (handler-worker.cjs): the event and context a handler gets, CloudEvents read into them, and
// how a returned value becomes an HTTP answer. The README's "Handler contract" section is this file
// in words; electron/engine/runtimes/contract.test.ts checks each line of it.

/** Marks a value made by context.response(): the only returned object read as status, headers and body. */
const ENVELOPE = Symbol.for('funcdeck.response');

function mediaType(contentType) {
  return String(contentType || '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}
const isJsonType = (type) => type === 'application/json' || type.endsWith('+json');
const isTextType = (type) => type.startsWith('text/') || type === 'application/x-www-form-urlencoded' || type === 'application/xml' || type === 'application/javascript';

/** Request bytes as the handler sees them: JSON parsed, text as a string, anything else a Buffer (throws on bad JSON). */
function decodeData(buf, contentType) {
  const type = mediaType(contentType);
  if (!buf.length) return isJsonType(type) ? null : '';
  if (isJsonType(type)) return JSON.parse(buf.toString('utf8'));
  if (!type || isTextType(type)) return buf.toString('utf8');
  return buf;
}

const STRUCTURED = 'application/cloudevents+json';

/** A header value of the HTTP binding may be percent-encoded (CloudEvents 1.0); a bad escape is kept as sent. */
function unescapeHeader(v) {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * A CloudEvent carried by the request, or null when it carries none. Binary mode: ce-* headers, the
 * body is the data; structured mode: a JSON object sent as application/cloudevents+json.
 * Returns { attributes, data } (attributes without the data); throws a message on a bad structured body.
 */
function readCloudEvent(headers, body) {
  const type = mediaType(headers['content-type']);
  if (type === STRUCTURED) {
    let doc;
    try {
      doc = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new Error(`The body is not a valid structured CloudEvent (JSON): ${e.message}`, { cause: e });
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('The body is not a valid structured CloudEvent: it must be a JSON object.');
    const attributes = {};
    for (const [k, v] of Object.entries(doc)) if (k !== 'data' && k !== 'data_base64') attributes[k] = v;
    let data = null;
    if (typeof doc.data_base64 === 'string') data = Buffer.from(doc.data_base64, 'base64');
    else if (doc.data !== undefined) data = doc.data;
    return { attributes, data };
  }
  if (typeof headers['ce-specversion'] !== 'string') return null;
  const attributes = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith('ce-') && k.length > 3) attributes[k.slice(3)] = unescapeHeader(Array.isArray(v) ? v.join(',') : String(v));
  }
  if (headers['content-type']) attributes.datacontenttype = headers['content-type'];
  return { attributes, data: decodeData(body, headers['content-type']) };
}

/**
 * The event a call's handler gets. `id` is Funcdeck's own request id (logs, x-funcdeck-request-id):
 * event-id is the caller's event-id header, or that id when the caller sent none.
 */
function buildEvent({ id, headers, body, request, response }) {
  const ce = readCloudEvent(headers, body);
  const str = (v) => (typeof v === 'string' && v ? v : null);
  const event = ce
    ? {
        data: ce.data,
        'event-id': str(ce.attributes.id) || str(headers['event-id']) || id,
        'event-type': str(ce.attributes.type) || '',
        'event-time': str(ce.attributes.time) || new Date().toISOString(),
        'event-namespace': str(ce.attributes.source) || 'funcdeck.dev',
      }
    : {
        data: decodeData(body, headers['content-type']),
        'event-id': str(headers['event-id']) || id,
        'event-type': str(headers['event-type']) || headers['content-type'] || '',
        'event-time': str(headers['event-time']) || new Date().toISOString(),
        'event-namespace': str(headers['event-namespace']) || 'funcdeck.dev',
      };
  event.extensions = { request, response };
  if (ce) event.extensions.cloudevent = ce.attributes;
  return event;
}

/** Opt-in to the response envelope: `return context.response({ statusCode, headers, body })`. */
function response(envelope) {
  const e = envelope && typeof envelope === 'object' ? envelope : { body: envelope };
  const out = { statusCode: e.statusCode === undefined ? 200 : e.statusCode, headers: e.headers || {}, body: e.body };
  if (!Number.isInteger(out.statusCode) || out.statusCode < 100 || out.statusCode > 599) {
    throw new TypeError(`context.response: statusCode must be a whole number from 100 to 599, not ${JSON.stringify(e.statusCode)}`);
  }
  Object.defineProperty(out, ENVELOPE, { value: true });
  return out;
}

function buildContext(config) {
  const context = {
    'function-name': config.functionName,
    timeout: Number(config.timeoutSeconds),
    runtime: config.runtime,
    'memory-limit': config.memoryLimit,
    revision: config.revision,
  };
  // Not enumerable: the context still prints and serializes as kubeless's does.
  Object.defineProperty(context, 'response', { value: response });
  return context;
}

const isBytes = (v) => Buffer.isBuffer(v) || v instanceof Uint8Array;
const isEnvelope = (v) => !!v && typeof v === 'object' && v[ENVELOPE] === true;

/** Bytes and a default content-type for a body value. */
function encodeBody(value) {
  if (value === undefined || value === null) return { type: null, body: Buffer.alloc(0) };
  if (typeof value === 'string') return { type: 'text/plain; charset=utf-8', body: Buffer.from(value, 'utf8') };
  if (isBytes(value)) return { type: 'application/octet-stream', body: Buffer.from(value) };
  return { type: 'application/json', body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/**
 * Turns what the handler returned into status, headers and body. `base` holds the status and
 * headers the handler set on event.extensions.response without sending it (as Express keeps them
 * for a later res.json). Any object, one with a statusCode field too, is JSON; only a
 * context.response() envelope sets status and headers.
 */
function encodeResult(value, base = { status: 200, headers: {} }) {
  let status = base.status;
  const headers = Object.assign({}, base.headers);
  let body = value;
  if (isEnvelope(value)) {
    status = value.statusCode;
    for (const [k, v] of Object.entries(value.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : String(v);
    body = value.body;
  }
  const out = encodeBody(body);
  if (out.type && headers['content-type'] === undefined) headers['content-type'] = out.type;
  return { status, headers, body: out.body };
}

module.exports = { buildEvent, buildContext, decodeData, encodeResult, encodeBody, isEnvelope, mediaType, readCloudEvent };
