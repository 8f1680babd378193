'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: this file runs as is inside the pod */
// event.extensions.request and event.extensions.response as kubeless's Express-based runtime gives
// them, for a handler that runs in a worker thread: the request is a plain object with Express's
// fields and helpers; the response sends what the handler writes to the main thread as messages
// (head, chunk, end; see handler-worker.cjs), so `res.write(...)` then `res.end()` streams.
const { EventEmitter } = require('node:events');
const { STATUS_CODES } = require('node:http');
const { mediaType } = require('./contract.cjs');

const TYPES = {
  json: 'application/json',
  text: 'text/plain; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  xml: 'application/xml',
  bin: 'application/octet-stream',
  ndjson: 'application/x-ndjson',
  'event-stream': 'text/event-stream',
};
const typeOf = (t) => (t.includes('/') ? t : TYPES[t.replace(/^\./, '')] || 'application/octet-stream');

/** True when the content-type matches `pattern` as Express's req.is() reads it: "json", "text/*", "+json", "application/json". */
function typeMatches(contentType, pattern) {
  const type = mediaType(contentType);
  if (!type) return false;
  const p = pattern.toLowerCase();
  if (p.startsWith('+')) return type.endsWith(p);
  if (!p.includes('/')) return type === typeOf(p).split(';')[0] || type.endsWith('/' + p) || type.endsWith('+' + p);
  const [a, b] = p.split('/');
  const [x, y] = type.split('/');
  return (a === '*' || a === x) && (b === '*' || b === y || (b.startsWith('*+') && y.endsWith(b.slice(1))));
}

/** Express's req, as far as a handler reads it: the body is the raw bytes (kubeless's bodyParser.raw). */
function createRequest({ method, url, headers, body, query }) {
  const u = new URL(url || '/', 'http://localhost');
  const get = (name) => {
    const key = String(name).toLowerCase();
    if (key === 'referer' || key === 'referrer') return headers.referer || headers.referrer;
    return headers[key];
  };
  return {
    method,
    url: url || '/',
    originalUrl: url || '/',
    path: u.pathname,
    query,
    params: {},
    headers,
    body,
    protocol: 'http',
    secure: false,
    hostname: String(headers.host || '').replace(/:\d+$/, ''),
    ip: String(headers['x-forwarded-for'] || '').split(',')[0].trim() || undefined,
    get,
    header: get,
    is(...types) {
      const list = types.flat();
      if (!headers['content-type']) return null;
      return list.find((t) => typeMatches(headers['content-type'], t)) || false;
    },
  };
}

/**
 * Express's res for a call running in this worker. `post(message)` sends to the main thread:
 * { t: 'result', status, headers, body } when the whole answer is known at end(), else
 * { t: 'head', status, headers }, { t: 'chunk', data }, { t: 'end' }. `statusText` for sendStatus.
 */
class WorkerResponse extends EventEmitter {
  constructor(post) {
    super();
    this._post = post;
    this._headers = new Map(); // lower-case name -> [name as given, value]
    this.statusCode = 200;
    this.statusMessage = '';
    this.headersSent = false;
    this.writableEnded = false;
    this.writableFinished = false;
    this.destroyed = false;
    this.writable = true;
    this.locals = {};
  }
  get finished() {
    return this.writableEnded;
  }
  /** Whether the handler set anything (status or a header) that a returned value should keep. */
  get touched() {
    return this.statusCode !== 200 || this._headers.size > 0;
  }

  // ---- status and headers ----
  status(code) {
    this.statusCode = Number(code);
    return this;
  }
  setHeader(name, value) {
    if (this.headersSent) throw Object.assign(new Error('Cannot set headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    this._headers.set(String(name).toLowerCase(), [String(name), Array.isArray(value) ? value.map(String) : String(value)]);
    return this;
  }
  getHeader(name) {
    const h = this._headers.get(String(name).toLowerCase());
    return h ? h[1] : undefined;
  }
  getHeaders() {
    return this.headerObject();
  }
  getHeaderNames() {
    return [...this._headers.keys()];
  }
  hasHeader(name) {
    return this._headers.has(String(name).toLowerCase());
  }
  removeHeader(name) {
    this._headers.delete(String(name).toLowerCase());
  }
  set(field, value) {
    if (field && typeof field === 'object') {
      for (const [k, v] of Object.entries(field)) this.set(k, v);
      return this;
    }
    const v = String(field).toLowerCase() === 'content-type' && typeof value === 'string' ? typeOf(value) : value;
    return this.setHeader(field, v);
  }
  header(field, value) {
    return this.set(field, value);
  }
  get(field) {
    return this.getHeader(field);
  }
  append(field, value) {
    const prev = this.getHeader(field);
    const add = Array.isArray(value) ? value : [value];
    return this.setHeader(field, prev === undefined ? value : [].concat(prev, add));
  }
  type(t) {
    return this.setHeader('content-type', typeOf(String(t)));
  }
  contentType(t) {
    return this.type(t);
  }
  location(url) {
    return this.setHeader('location', url);
  }
  redirect(a, b) {
    const [code, url] = typeof a === 'number' ? [a, b] : [302, a];
    this.status(code).location(url);
    return this.end();
  }
  headerObject() {
    const out = {};
    for (const [key, [, value]] of this._headers) out[key] = value;
    return out;
  }

  // ---- body ----
  writeHead(status, message, headers) {
    if (typeof message === 'object' && message !== null) [message, headers] = [undefined, message];
    this.statusCode = Number(status);
    if (message) this.statusMessage = String(message);
    if (headers) this.set(headers);
    this.flushHeaders();
    return this;
  }
  flushHeaders() {
    if (this.headersSent) return;
    this.headersSent = true;
    this._post({ t: 'head', status: this.statusCode, headers: this.headerObject() });
  }
  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
    if (this.writableEnded) {
      const err = Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
      process.nextTick(() => (cb ? cb(err) : this.emit('error', err)));
      return false;
    }
    const bytes = toBytes(chunk, encoding);
    this.flushHeaders();
    if (bytes.length && !this.destroyed) this._post({ t: 'chunk', data: bytes });
    if (cb) process.nextTick(cb);
    return true;
  }
  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') [cb, chunk] = [chunk, undefined];
    if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
    if (this.writableEnded) return this;
    const bytes = chunk === undefined || chunk === null ? Buffer.alloc(0) : toBytes(chunk, encoding);
    this.writableEnded = true;
    this.writable = false;
    if (!this.headersSent) {
      // The whole answer is known: sent in one message, with a content-length like any return value.
      this.headersSent = true;
      this._post({ t: 'result', status: this.statusCode, headers: this.headerObject(), body: bytes });
    } else {
      if (bytes.length && !this.destroyed) this._post({ t: 'chunk', data: bytes });
      this._post({ t: 'end' });
    }
    process.nextTick(() => {
      this.writableFinished = true;
      this.emit('finish');
      if (cb) cb();
    });
    return this;
  }
  send(body) {
    if (typeof body === 'number' && arguments.length === 1 && !this.headersSent) return this.sendStatus(body);
    if (body === undefined || body === null) return this.end();
    if (typeof body === 'string') {
      if (!this.hasHeader('content-type')) this.setHeader('content-type', 'text/html; charset=utf-8');
      return this.end(body);
    }
    if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
      if (!this.hasHeader('content-type')) this.setHeader('content-type', 'application/octet-stream');
      return this.end(body);
    }
    return this.json(body);
  }
  json(value) {
    if (!this.hasHeader('content-type')) this.setHeader('content-type', 'application/json; charset=utf-8');
    return this.end(JSON.stringify(value === undefined ? null : value));
  }
  sendStatus(code) {
    this.status(code);
    if (!this.hasHeader('content-type')) this.setHeader('content-type', 'text/plain; charset=utf-8');
    return this.end(STATUS_CODES[code] || String(code));
  }
  // Streams piped into the response (readable.pipe(res)) need these.
  cork() {}
  uncork() {}
  destroy() {
    return this._abort('the handler destroyed the response before ending it');
  }
  /** Breaks the answer off: the caller sees it cut (headers already went out, so no error status can follow). */
  _abort(reason) {
    if (!this.writableEnded) {
      this.writableEnded = true;
      this._post(this.headersSent ? { t: 'end', error: reason } : { t: 'result', status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(`Error: ${reason}\n`) });
    }
    this._gone();
    return this;
  }
  /** The caller went away (or the call ended): later writes are dropped, and 'close' tells the handler. */
  _gone() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.writable = false;
    process.nextTick(() => this.emit('close'));
  }
}

function toBytes(chunk, encoding) {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8');
  if (Buffer.isBuffer(chunk)) return chunk; // postMessage copies it at once: the handler may reuse its buffer
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('The "chunk" argument must be of type string or an instance of Buffer or Uint8Array');
}

module.exports = { createRequest, WorkerResponse, typeMatches };
