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
//   { t: 'gone', n }                                    the caller is gone or was answered 504: later writes are dropped
// Worker -> main:
//   { t: 'ready' } | { t: 'load-error', message }
//   { t: 'result', n, status, headers, body }           the whole answer, or
//   { t: 'head', n, status, headers }                   a streamed one (event.extensions.response written
//   { t: 'chunk', n, data }                             before it ended): head once, chunks, then end;
//   { t: 'end', n, error? }                             `error` when it broke off (the answer is cut)
//   { t: 'output' }                                     the handler printed: read the output ring
// Exactly one result or one end per call, even after a 504. The handler's stdout/stderr (lines
// prefixed [req <id>]) go through output-ring.cjs, written before the messages that follow them.
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { AsyncLocalStorage } = require('node:async_hooks');
const { ringWriter } = require('./output-ring.cjs');
const { buildContext, buildEvent, encodeResult } = require('./contract.cjs');
const { createRequest, WorkerResponse } = require('./express-compat.cjs');

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

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
const responses = new Map(); // call number -> its event.extensions.response, until the call has ended

/** `own`: the body is this runtime's copy, so when it owns its whole memory (large ones) it moves without a copy. */
function post(n, id, m, own = false) {
  m.n = n;
  const body = m.body;
  const transfer = own && body && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.byteLength > 0 ? [body.buffer] : [];
  try {
    parentPort.postMessage(m, transfer);
  } catch (e) {
    log(`The handler's answer could not be sent: ${(e && e.message) || e}`, id);
    if (m.t === 'result') parentPort.postMessage({ t: 'result', n, status: 500, headers: TEXT, body: Buffer.from(`Function result could not be sent: ${(e && e.message) || e}\n`) });
    else parentPort.postMessage({ t: 'end', n, error: `a chunk could not be sent: ${(e && e.message) || e}` });
  }
  if (m.t === 'result' || m.t === 'end') responses.delete(n);
}

function reply(n, id, status, headers, body) {
  post(n, id, { t: 'result', status, headers, body }, true);
}

function runCall(handler, m) {
  const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  const url = new URL(m.url || '/', 'http://localhost');
  const res = new WorkerResponse((msg) => post(m.n, m.id, msg));
  responses.set(m.n, res);
  const request = createRequest({ method: m.method, url: m.url, headers: m.headers, body, query: parseQuery(url) });
  res.req = request;
  let event;
  try {
    event = buildEvent({ id: m.id, headers: m.headers, body, request, response: res });
  } catch (e) {
    const what = e instanceof SyntaxError ? `The body is not valid JSON: ${e.message}` : e.message;
    return reply(m.n, m.id, 400, TEXT, Buffer.from(what + '\n'));
  }
  const context = buildContext(config);
  requestScope.run({ id: m.id }, () => {
    let result;
    try {
      result = Promise.resolve(handler(event, context));
    } catch (e) {
      result = Promise.reject(e);
    }
    result.then(
      (value) => settled(m, res, value),
      (e) => {
        log(`Handler threw: ${(e && e.stack) || e}`, m.id);
        if (res.writableEnded) return;
        if (res.headersSent) return void res._abort(`the handler threw after streaming began: ${(e && e.message) || e}`);
        const status = e && Number.isInteger(e.statusCode) && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
        res.writableEnded = true;
        reply(m.n, m.id, status, TEXT, Buffer.from(`Error: ${(e && e.message) || String(e)}\n`));
      },
    );
  });
}

/** The handler's promise settled: as in kubeless, a response it has not ended is ended now, with the value. */
function settled(m, res, value) {
  if (res.writableEnded) {
    if (value !== undefined) log('The handler returned a value after ending event.extensions.response; the value was not sent.', m.id);
    return;
  }
  if (res.headersSent) {
    // Streaming began: a string or bytes returned is the last chunk (kubeless's res.end(value)).
    if (typeof value === 'string' || Buffer.isBuffer(value) || value instanceof Uint8Array) return void res.end(value);
    if (value !== undefined) log('The handler returned a value after streaming began on event.extensions.response; the value was not sent.', m.id);
    return void res.end();
  }
  let out;
  try {
    out = encodeResult(value, { status: res.statusCode, headers: res.headerObject() });
  } catch (e) {
    log(`The handler's result could not be sent: ${(e && e.message) || e}`, m.id);
    res.writableEnded = true;
    return reply(m.n, m.id, 500, TEXT, Buffer.from(`Function result could not be encoded: ${(e && e.message) || e}\n`));
  }
  res.writableEnded = true;
  reply(m.n, m.id, out.status, out.headers, out.body);
}

process.on('unhandledRejection', (e) => log(`Unhandled promise rejection: ${(e && e.stack) || e}`));

const loaded = loadHandler();
if (loaded.error) {
  parentPort.postMessage({ t: 'load-error', message: loaded.error });
} else {
  parentPort.on('message', (m) => {
    if (m.t === 'call') runCall(loaded.fn, m);
    else if (m.t === 'ping') parentPort.postMessage({ t: 'pong' });
    else if (m.t === 'gone') {
      // The caller went away or the call timed out: the handler's response says so ('close').
      const res = responses.get(m.n);
      responses.delete(m.n);
      if (res) res._gone();
    }
  });
  parentPort.postMessage({ t: 'ready' });
}
