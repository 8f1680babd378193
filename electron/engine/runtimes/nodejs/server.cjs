'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: this file runs as is inside the pod */
// Funcdeck's Node.js runtime server. Runs inside the function's pod on a stock node image, mounted
// from the revision's ConfigMap: plain Node, CommonJS, no dependencies. It loads the user's handler
// (kubeless contract: handler(event, context)), serves it over HTTP, and serves /healthz, /readyz and
// Prometheus /metrics on a second port. Settings come from FUNCDECK_* environment variables.
const http = require('node:http');
const path = require('node:path');
const crypto = require('node:crypto');
const { AsyncLocalStorage } = require('node:async_hooks');

const env = process.env;
const FUNCTION_NAME = env.FUNCDECK_FUNCTION_NAME || 'function';
const HANDLER = env.FUNCDECK_HANDLER || 'handler.main';
const SRC_DIR = env.FUNCDECK_SRC_DIR || '/funcdeck/src';
const TIMEOUT_S = Number(env.FUNCDECK_TIMEOUT || 180);
const HTTP_PORT = Number(env.FUNCDECK_HTTP_PORT || 8080);
const METRICS_PORT = Number(env.FUNCDECK_METRICS_PORT || 9090);
const HOST = env.FUNCDECK_HOST || '0.0.0.0';
const REVISION = env.FUNCDECK_REVISION || '';
const MEMORY_LIMIT = env.FUNCDECK_MEMORY_LIMIT || '';
const MAX_BODY = Number(env.FUNCDECK_MAX_BODY_BYTES || 64 * 1024 * 1024);
const SHUTDOWN_GRACE_MS = Number(env.FUNCDECK_SHUTDOWN_GRACE_MS || 25000);
const RUNTIME = 'nodejs' + process.versions.node.split('.')[0];
const HEADER_ID = 'x-funcdeck-request-id';
const HEADER_DURATION = 'x-funcdeck-duration-ms';
const HEADER_REVISION = 'x-funcdeck-revision';
const ID_RE = /^[0-9a-zA-Z-]{4,64}$/;

// ---- request-scoped log prefix: every line a handler prints during a call starts with [req <id>] ----
const requestScope = new AsyncLocalStorage();
function prefixWrites(stream) {
  const write = stream.write.bind(stream);
  let atLineStart = true;
  stream.write = function (chunk, encoding, cb) {
    const scope = requestScope.getStore();
    if (!scope) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.length) atLineStart = text.endsWith('\n');
      return write(chunk, encoding, cb);
    }
    let text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? 'utf8' : 'utf8');
    if (!text.length) return write(chunk, encoding, cb);
    const prefix = `[req ${scope.id}] `;
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    text = (atLineStart ? prefix : '') + body.split('\n').join('\n' + prefix) + (text.endsWith('\n') ? '\n' : '');
    atLineStart = text.endsWith('\n');
    return write(text, typeof encoding === 'function' ? encoding : 'utf8', typeof encoding === 'function' ? undefined : cb);
  };
}
prefixWrites(process.stdout);
prefixWrites(process.stderr);

function log(message, id) {
  process.stdout.write((id ? `[req ${id}] ` : '') + message + '\n');
}

// ---- metrics ----
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
const startTime = Date.now() / 1000;
const byCode = new Map();
const bucketCounts = BUCKETS.map(() => 0);
let durationSum = 0;
let durationCount = 0;
let inFlight = 0;

function observe(code, seconds) {
  byCode.set(code, (byCode.get(code) || 0) + 1);
  for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) bucketCounts[i]++;
  durationSum += seconds;
  durationCount++;
}

function metricsText() {
  const fn = `function="${FUNCTION_NAME}",revision="${REVISION}"`;
  const lines = [
    '# HELP funcdeck_requests_total Calls handled, by HTTP status code.',
    '# TYPE funcdeck_requests_total counter',
  ];
  for (const [code, n] of [...byCode.entries()].sort()) lines.push(`funcdeck_requests_total{${fn},code="${code}"} ${n}`);
  lines.push('# HELP funcdeck_request_duration_seconds Time spent in the handler, per call.');
  lines.push('# TYPE funcdeck_request_duration_seconds histogram');
  BUCKETS.forEach((b, i) => lines.push(`funcdeck_request_duration_seconds_bucket{${fn},le="${b}"} ${bucketCounts[i]}`));
  lines.push(`funcdeck_request_duration_seconds_bucket{${fn},le="+Inf"} ${durationCount}`);
  lines.push(`funcdeck_request_duration_seconds_sum{${fn}} ${durationSum}`);
  lines.push(`funcdeck_request_duration_seconds_count{${fn}} ${durationCount}`);
  lines.push('# HELP funcdeck_requests_in_flight Calls being handled right now.');
  lines.push('# TYPE funcdeck_requests_in_flight gauge');
  lines.push(`funcdeck_requests_in_flight{${fn}} ${inFlight}`);
  lines.push('# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.');
  lines.push('# TYPE process_start_time_seconds gauge');
  lines.push(`process_start_time_seconds ${startTime}`);
  const cpu = process.cpuUsage();
  lines.push('# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.');
  lines.push('# TYPE process_cpu_seconds_total counter');
  lines.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`);
  lines.push('# HELP process_resident_memory_bytes Resident memory size in bytes.');
  lines.push('# TYPE process_resident_memory_bytes gauge');
  lines.push(`process_resident_memory_bytes ${process.memoryUsage().rss}`);
  return lines.join('\n') + '\n';
}

// ---- the user's handler ----
function loadHandler() {
  const dot = HANDLER.lastIndexOf('.');
  const file = path.join(SRC_DIR, HANDLER.slice(0, dot));
  const name = HANDLER.slice(dot + 1);
  let mod;
  try {
    mod = require(file);
  } catch (e) {
    log(`Could not load the handler module ${HANDLER.slice(0, dot)}: ${(e && e.stack) || e}`);
    process.exit(1);
  }
  const fn = mod && (typeof mod[name] === 'function' ? mod[name] : mod.default && typeof mod.default[name] === 'function' ? mod.default[name] : null);
  if (!fn) {
    const found = mod && typeof mod === 'object' ? Object.keys(mod).filter((k) => typeof mod[k] === 'function') : [];
    log(`The handler module ${HANDLER.slice(0, dot)} has no exported function "${name}"` + (found.length ? ` (it exports: ${found.join(', ')}).` : '.'));
    process.exit(1);
  }
  return fn;
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

function send(res, status, headers, body, id, started) {
  if (res.headersSent || res.destroyed) return;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const out = Object.assign({}, headers, {
    [HEADER_ID]: id,
    [HEADER_DURATION]: ms.toFixed(3),
    'content-length': String(body.length),
  });
  if (REVISION) out[HEADER_REVISION] = REVISION;
  res.writeHead(status, out);
  res.end(body);
}

function main() {
  const handler = loadHandler();
  let ready = true;
  let shuttingDown = false;

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const given = req.headers[HEADER_ID];
    const id = typeof given === 'string' && ID_RE.test(given) ? given : crypto.randomBytes(6).toString('hex');
    inFlight++;
    let finished = false;
    const finish = (status, headers, body) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      inFlight--;
      observe(status, Number(process.hrtime.bigint() - started) / 1e9);
      send(res, status, headers, body, id, started);
      if (shuttingDown && inFlight === 0) exitSoon();
    };
    const timer = setTimeout(() => {
      log(`Function timed out after ${TIMEOUT_S}s; answered 504. Raise timeoutSeconds or make the handler return sooner.`, id);
      finish(504, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from(`Function ${FUNCTION_NAME} timed out after ${TIMEOUT_S}s\n`));
    }, TIMEOUT_S * 1000);

    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        finish(413, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from(`Request body larger than ${MAX_BODY} bytes\n`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => finish(400, {}, Buffer.alloc(0)));
    req.on('end', () => {
      if (finished) return;
      const url = new URL(req.url || '/', 'http://localhost');
      let data;
      try {
        data = decodeBody(Buffer.concat(chunks), req.headers['content-type']);
      } catch (e) {
        finish(400, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from(`The body is not valid JSON: ${e.message}\n`));
        return;
      }
      const event = {
        data,
        'event-id': id,
        'event-type': req.headers['event-type'] || req.headers['content-type'] || '',
        'event-time': req.headers['event-time'] || new Date().toISOString(),
        'event-namespace': req.headers['event-namespace'] || 'funcdeck.dev',
        extensions: {
          request: { method: req.method, path: url.pathname, query: parseQuery(url), headers: req.headers },
        },
      };
      const context = {
        'function-name': FUNCTION_NAME,
        timeout: String(TIMEOUT_S),
        runtime: RUNTIME,
        'memory-limit': MEMORY_LIMIT,
        revision: REVISION,
      };
      requestScope.run({ id }, () => {
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
              log(`The handler's result could not be sent: ${(e && e.message) || e}`, id);
              finish(500, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from(`Function result could not be encoded: ${(e && e.message) || e}\n`));
              return;
            }
            finish(out.status, out.headers, out.body);
          },
          (e) => {
            log(`Handler threw: ${(e && e.stack) || e}`, id);
            const status = e && Number.isInteger(e.statusCode) && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
            finish(status, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from(`Error: ${(e && e.message) || String(e)}\n`));
          },
        );
      });
    });
  });
  server.keepAliveTimeout = 65000;

  const ops = http.createServer((req, res) => {
    const url = (req.url || '/').split('?')[0];
    if (url === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (url === '/readyz') {
      const ok = ready && !shuttingDown;
      return void res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ready\n' : 'not ready\n');
    }
    if (url === '/metrics') return void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metricsText());
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });

  let exiting = false;
  function exitSoon() {
    if (exiting) return;
    exiting = true;
    ops.close();
    setImmediate(() => process.exit(0));
  }
  function shutdown(signal) {
    if (shuttingDown) return;
    shuttingDown = true;
    ready = false;
    log(`${signal} received: finishing ${inFlight} call(s) in flight, then exiting.`);
    server.close();
    if (typeof server.closeIdleConnections === 'function') server.closeIdleConnections();
    if (inFlight === 0) exitSoon();
    setTimeout(() => {
      log(`Exiting with ${inFlight} call(s) still in flight after the shutdown grace period.`);
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (e) => log(`Unhandled promise rejection: ${(e && e.stack) || e}`));

  let listening = 0;
  const onListen = () => {
    if (++listening === 2) log(`Funcdeck ${RUNTIME} runtime: ${FUNCTION_NAME} (${HANDLER}) listening on :${server.address().port}, metrics on :${ops.address().port}`);
  };
  server.listen(HTTP_PORT, HOST, onListen);
  ops.listen(METRICS_PORT, HOST, onListen);
}

main();
