'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: this file runs as is inside the pod */
// Funcdeck's Node.js runtime server. Runs inside the function's pod on a stock node image, mounted
// from the revision's ConfigMap with worker-host.cjs and handler-worker.cjs: plain Node, CommonJS,
// no dependencies. It serves the user's handler (kubeless contract: handler(event, context)) over
// HTTP, and /healthz, /readyz and Prometheus /metrics on a second port. Settings come from FUNCDECK_*
// environment variables.
//
// The handler runs in a worker thread; this main thread only owns the sockets, request ids, the
// timeout, metrics and SIGTERM, so it answers whatever the handler does. Concurrent calls to one pod
// run in parallel on that one worker's event loop (as with kubeless): they share module state, and a
// call that blocks the loop holds the others. A call that times out is answered 504 at once; if it
// keeps its worker busy, the worker is terminated and replaced (see worker-host.cjs), and calls
// caught on it are answered 503. On SIGTERM the server stops taking calls, lets those in flight finish
// until FUNCDECK_SHUTDOWN_GRACE_MS, then answers the rest 503 and exits 0.
const http = require('node:http');
const crypto = require('node:crypto');
const { createWorkerHost } = require('./worker-host.cjs');

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

let host = null;
function log(message, id) {
  if (host) host.flushOutput(); // the handler's lines printed before this one come first
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

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

function main() {
  try {
    const unpacked = require('./deps-unpack.cjs').unpackDependencies(env);
    if (unpacked) log(unpacked);
  } catch (e) {
    log(`Could not unpack the function's dependencies: ${(e && e.message) || e}`);
    process.exit(1);
  }
  host = createWorkerHost({
    config: { functionName: FUNCTION_NAME, handler: HANDLER, srcDir: SRC_DIR, timeoutSeconds: TIMEOUT_S, runtime: RUNTIME, memoryLimit: MEMORY_LIMIT, revision: REVISION },
    log,
  });
  require('./live-reload.cjs').watchLive({ host, log, env, srcDir: SRC_DIR });
  let shuttingDown = false;

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const given = req.headers[HEADER_ID];
    const id = typeof given === 'string' && ID_RE.test(given) ? given : crypto.randomBytes(6).toString('hex');
    inFlight++;
    let finished = false;
    let handle = null;
    const finish = (status, headers, body) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      inFlight--;
      observe(status, Number(process.hrtime.bigint() - started) / 1e9);
      send(res, status, headers, body, id, started);
      if (shuttingDown && inFlight === 0) exitSoon();
    };
    // The timeout lives on this thread, so it fires whatever the handler's thread is doing.
    const timer = setTimeout(() => {
      if (streamed) {
        log(`Function timed out after ${TIMEOUT_S}s while streaming its answer (${streamed.bytes} bytes sent); the answer was cut. Raise timeoutSeconds or end the response sooner.`, id);
        cut(504);
      } else {
        log(`Function timed out after ${TIMEOUT_S}s; answered 504. Raise timeoutSeconds or make the handler return sooner.`, id);
        finish(504, TEXT, Buffer.from(`Function ${FUNCTION_NAME} timed out after ${TIMEOUT_S}s\n`));
      }
      if (handle) host.giveUp(handle);
    }, TIMEOUT_S * 1000);

    // A streamed answer (the handler wrote to event.extensions.response before ending it): chunked,
    // each chunk sent as it comes; the handler's time follows as a trailer.
    let streamed = null;
    const done = (status) => {
      finished = true;
      clearTimeout(timer);
      inFlight--;
      observe(status, Number(process.hrtime.bigint() - started) / 1e9);
      if (shuttingDown && inFlight === 0) exitSoon();
    };
    /** Ends a streamed answer without its last chunk, so the caller cannot take it for complete. */
    const cut = (status) => {
      if (finished) return;
      done(status);
      res.destroy();
    };
    const stream = {
      head(status, headers) {
        if (finished || res.destroyed) return;
        streamed = { status, bytes: 0 };
        const out = Object.assign({}, headers, { [HEADER_ID]: id, trailer: HEADER_DURATION });
        delete out['content-length'];
        if (REVISION) out[HEADER_REVISION] = REVISION;
        res.writeHead(status, out);
        res.flushHeaders();
      },
      chunk(bytes) {
        if (finished || res.destroyed) return;
        streamed.bytes += bytes.length;
        res.write(bytes);
      },
      end() {
        if (finished) return;
        done(streamed.status);
        if (res.destroyed) return;
        res.addTrailers({ [HEADER_DURATION]: (Number(process.hrtime.bigint() - started) / 1e6).toFixed(3) });
        res.end();
      },
      abort(reason) {
        if (finished) return;
        log(`The streamed answer was cut after ${streamed ? streamed.bytes : 0} bytes: ${reason}`, id);
        cut(500);
      },
    };
    res.on('close', () => {
      if (!res.writableFinished && handle && !finished) host.callerGone(handle);
    });

    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        finish(413, TEXT, Buffer.from(`Request body larger than ${MAX_BODY} bytes\n`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => finish(400, {}, Buffer.alloc(0)));
    req.on('end', () => {
      if (finished) return;
      handle = host.call(id, { method: req.method, url: req.url || '/', headers: req.headers, body: Buffer.concat(chunks) }, finish, stream);
    });
  });
  server.keepAliveTimeout = 65000;

  const ops = http.createServer((req, res) => {
    const url = (req.url || '/').split('?')[0];
    if (url === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (url === '/readyz') {
      const ok = !shuttingDown && host.healthy();
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
    host.close('The function is shutting down.');
    setImmediate(() => process.exit(0));
  }
  function shutdown(signal) {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal} received: finishing ${inFlight} call(s) in flight, then exiting.`);
    server.close();
    if (typeof server.closeIdleConnections === 'function') server.closeIdleConnections();
    if (inFlight === 0) return exitSoon();
    setTimeout(() => {
      log(`Exiting with ${inFlight} call(s) still in flight after the shutdown grace period; they are answered 503.`);
      exitSoon();
    }, SHUTDOWN_GRACE_MS).unref();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  host.started.then(
    () => {
      let listening = 0;
      const onListen = () => {
        if (++listening === 2) log(`Funcdeck ${RUNTIME} runtime: ${FUNCTION_NAME} (${HANDLER}) listening on :${server.address().port}, metrics on :${ops.address().port}`);
      };
      server.listen(HTTP_PORT, HOST, onListen);
      ops.listen(METRICS_PORT, HOST, onListen);
    },
    (e) => {
      log(e.message);
      process.exit(1);
    },
  );
}

main();
