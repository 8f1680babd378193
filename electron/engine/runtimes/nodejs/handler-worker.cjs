'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: this file runs as is inside the pod */
// The worker thread of Funcdeck's Node.js runtime (started by worker-host.cjs): it loads the user's
// handler and runs calls on this thread's event loop, so that the main thread (HTTP, health,
// metrics, SIGTERM) never waits for user code and can terminate this thread when a call never gives
// control back.
//
// Messages on parentPort. Main -> worker:
//   { t: 'call', n, id, method, url, headers, body }   body: Uint8Array; id: the request id for logs
//   { t: 'ping' }                                       answered with { t: 'pong' } when the loop is free
// Worker -> main:
//   { t: 'ready' } | { t: 'load-error', message }
//   { t: 'result', n, status, headers, body }           exactly one per call, even after a 504
//   { t: 'output' }                                     the handler printed: read the output ring
// The handler's stdout/stderr (lines prefixed [req <id>]) go through output-ring.cjs, written before
// the result of the call that printed them.
// A streamed response (kubeless's event.extensions.response) fits as { t: 'head' | 'chunk' | 'end', n, ... }.
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { AsyncLocalStorage } = require('node:async_hooks');
const { ringWriter } = require('./output-ring.cjs');

const config = workerData.config;
const writeOutput = ringWriter(workerData.output, () => parentPort.postMessage({ t: 'output' }));

// ---- the handler's output: every line printed during a call starts with [req <id>] ----
const requestScope = new AsyncLocalStorage();
function captureWrites(stream, fd) {
  let atLineStart = true;
  stream.write = function (chunk, encoding, cb) {
    if (typeof encoding === 'function') cb = encoding;
    let text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (typeof chunk === 'string' && typeof encoding === 'string' && !/^utf-?8$/i.test(encoding)) text = Buffer.from(chunk, encoding).toString('utf8');
    if (text.length) {
      const scope = requestScope.getStore();
      if (scope) {
        const prefix = `[req ${scope.id}] `;
        const ends = text.endsWith('\n');
        const body = ends ? text.slice(0, -1) : text;
        text = (atLineStart ? prefix : '') + body.split('\n').join('\n' + prefix) + (ends ? '\n' : '');
      }
      atLineStart = text.endsWith('\n');
      writeOutput(fd, Buffer.from(text, 'utf8'));
    }
    if (typeof cb === 'function') process.nextTick(cb);
    return true;
  };
}
captureWrites(process.stdout, 1);
captureWrites(process.stderr, 2);

function log(message, id) {
  process.stdout.write((id ? `[req ${id}] ` : '') + message + '\n');
}

// ---- the user's handler ----
function loadHandler() {
  const dot = config.handler.lastIndexOf('.');
  const modulePath = config.handler.slice(0, dot);
  const name = config.handler.slice(dot + 1);
  let mod;
  try {
    mod = require(path.join(config.srcDir, modulePath));
  } catch (e) {
    return { error: `Could not load the handler module ${modulePath}: ${(e && e.stack) || e}` };
  }
  const fn = mod && (typeof mod[name] === 'function' ? mod[name] : mod.default && typeof mod.default[name] === 'function' ? mod.default[name] : null);
  if (!fn) {
    const found = mod && typeof mod === 'object' ? Object.keys(mod).filter((k) => typeof mod[k] === 'function') : [];
    return { error: `The handler module ${modulePath} has no exported function "${name}"` + (found.length ? ` (it exports: ${found.join(', ')}).` : '.') };
  }
  return { fn };
}

function parseQuery(url) {
  const query = {};
  for (const [k, v] of url.searchParams) {
    if (k in query) query[k] = [].concat(query[k], v);
    else query[k] = v;
  }
  return query;
}

function decodeBody(buf, contentType) {
  const type = (contentType || '').split(';')[0].trim().toLowerCase();
  if (!buf.length) return type === 'application/json' ? null : '';
  if (type === 'application/json' || type.endsWith('+json')) return JSON.parse(buf.toString('utf8'));
  if (!type || type.startsWith('text/') || type === 'application/x-www-form-urlencoded' || type === 'application/xml' || type === 'application/javascript') {
    return buf.toString('utf8');
  }
  return buf;
}

/** Turns whatever the handler returned into status, headers and body bytes. */
function encodeResult(value) {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Uint8Array) && typeof value.statusCode === 'number') {
    const inner = encodeBody(value.body);
    const headers = Object.assign({}, inner.headers, value.headers || {});
    return { status: value.statusCode, headers, body: inner.body };
  }
  const out = encodeBody(value);
  return { status: 200, headers: out.headers, body: out.body };
}
function encodeBody(value) {
  if (value === undefined || value === null) return { headers: {}, body: Buffer.alloc(0) };
  if (typeof value === 'string') return { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(value, 'utf8') };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(value) };
  return { headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

function reply(n, id, status, headers, body) {
  // A body that owns its whole memory (large ones, never the handler's own buffer) moves without a copy.
  const transfer = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.byteLength > 0 ? [body.buffer] : [];
  try {
    parentPort.postMessage({ t: 'result', n, status, headers, body }, transfer);
  } catch (e) {
    log(`The handler's result could not be sent: ${(e && e.message) || e}`, id);
    parentPort.postMessage({ t: 'result', n, status: 500, headers: TEXT, body: Buffer.from(`Function result could not be sent: ${(e && e.message) || e}\n`) });
  }
}

function runCall(handler, m) {
  const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  const url = new URL(m.url || '/', 'http://localhost');
  let data;
  try {
    data = decodeBody(body, m.headers['content-type']);
  } catch (e) {
    return reply(m.n, m.id, 400, TEXT, Buffer.from(`The body is not valid JSON: ${e.message}\n`));
  }
  const event = {
    data,
    'event-id': m.id,
    'event-type': m.headers['event-type'] || m.headers['content-type'] || '',
    'event-time': m.headers['event-time'] || new Date().toISOString(),
    'event-namespace': m.headers['event-namespace'] || 'funcdeck.dev',
    extensions: {
      request: { method: m.method, path: url.pathname, query: parseQuery(url), headers: m.headers },
    },
  };
  const context = {
    'function-name': config.functionName,
    timeout: String(config.timeoutSeconds),
    runtime: config.runtime,
    'memory-limit': config.memoryLimit,
    revision: config.revision,
  };
  requestScope.run({ id: m.id }, () => {
    let result;
    try {
      result = Promise.resolve(handler(event, context));
    } catch (e) {
      result = Promise.reject(e);
    }
    result.then(
      (value) => {
        let out;
        try {
          out = encodeResult(value);
        } catch (e) {
          log(`The handler's result could not be sent: ${(e && e.message) || e}`, m.id);
          return reply(m.n, m.id, 500, TEXT, Buffer.from(`Function result could not be encoded: ${(e && e.message) || e}\n`));
        }
        reply(m.n, m.id, out.status, out.headers, out.body);
      },
      (e) => {
        log(`Handler threw: ${(e && e.stack) || e}`, m.id);
        const status = e && Number.isInteger(e.statusCode) && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
        reply(m.n, m.id, status, TEXT, Buffer.from(`Error: ${(e && e.message) || String(e)}\n`));
      },
    );
  });
}

process.on('unhandledRejection', (e) => log(`Unhandled promise rejection: ${(e && e.stack) || e}`));

const loaded = loadHandler();
if (loaded.error) {
  parentPort.postMessage({ t: 'load-error', message: loaded.error });
} else {
  parentPort.on('message', (m) => {
    if (m.t === 'call') runCall(loaded.fn, m);
    else if (m.t === 'ping') parentPort.postMessage({ t: 'pong' });
  });
  parentPort.postMessage({ t: 'ready' });
}
