'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: this file runs as is inside the pod */
// The main thread's side of the handler's worker thread (handler-worker.cjs): starts it, hands it
// calls, and stops it when a call the caller has given up on (a timeout) is still running.
//
// One worker takes all calls, in parallel on its event loop (as kubeless's Express runtime did).
// When a call times out, new calls go to a fresh worker at once. The old one is terminated (V8's
// TerminateExecution stops even `while (true) {}`) as soon as it fails to answer a ping within
// PING_MS (its event loop is blocked), or when the timed-out call has not finished within
// RETIRE_GRACE_MS; otherwise it finishes the calls it has and then ends. Calls still running on a
// terminated worker are answered 503, naming the call whose timeout stopped it. No spare worker is
// kept warm: it would load the handler's modules twice in every pod; the replacement starts at the
// moment of the timeout, so the next call rarely waits for it.
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { createRing, ringReader } = require('./output-ring.cjs');

const PING_MS = 250;
const RETIRE_GRACE_MS = 1000;
const MAX_RESTART_DELAY_MS = 30000;
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

/**
 * @param {object} o
 * @param {object} o.config       passed to the worker as workerData
 * @param {(message: string, id?: string) => void} o.log
 */
function createWorkerHost({ config, log }) {
  const workers = new Set();
  const waiting = []; // calls that arrived while no worker was ready
  let active = null; // the worker that takes new calls
  let everReady = false;
  let restartDelay = 0;
  let loadFailure = null; // the last start's error, while no worker could load the handler
  let closed = false;
  let seq = 0;
  let startTimer = null;
  let first = null;
  const started = new Promise((resolve, reject) => (first = { resolve, reject }));

  /** A candidate (live reload, see reload()) takes no calls until it has loaded its code. */
  function startWorker(cfg = config, candidate = false) {
    const output = createRing();
    const w = { thread: null, ready: false, retired: false, stopped: false, running: new Map(), timedOut: new Set(), cause: null, pong: false, timers: [], crash: null, candidate, onCandidate: null };
    w.drain = ringReader(output);
    w.thread = new Worker(path.join(__dirname, 'handler-worker.cjs'), { workerData: { config: cfg, output } });
    workers.add(w);
    if (!candidate) active = w;
    w.thread.on('message', (m) => onMessage(w, m));
    w.thread.on('error', (e) => {
      w.crash = e;
      log(`The handler's worker thread stopped on an uncaught error: ${(e && e.stack) || e}`);
    });
    w.thread.on('exit', (code) => onExit(w, code));
    return w;
  }

  function scheduleStart() {
    if (closed || active || startTimer) return;
    if (!restartDelay) return startWorker();
    startTimer = setTimeout(() => {
      startTimer = null;
      if (!closed && !active) startWorker();
    }, restartDelay);
    startTimer.unref();
  }

  /** Writes what the worker printed so far; before its results and before this thread's own lines, to keep their order. */
  function writeOutput(w) {
    w.drain((fd, bytes) => (fd === 2 ? process.stderr : process.stdout).write(bytes));
  }

  function onMessage(w, m) {
    switch (m.t) {
      case 'output':
        writeOutput(w);
        return;
      case 'result': {
        writeOutput(w);
        const c = w.running.get(m.n);
        if (!c) return;
        w.running.delete(m.n);
        answer(c, m.status, m.headers, m.body);
        if (w.retired) endIfDrained(w);
        return;
      }
      case 'head': {
        writeOutput(w);
        const c = w.running.get(m.n);
        if (!c || c.answered) return;
        c.streaming = true;
        c.stream.head(m.status, m.headers);
        return;
      }
      case 'chunk': {
        writeOutput(w);
        const c = w.running.get(m.n);
        if (c && c.streaming && !c.answered) c.stream.chunk(m.data);
        return;
      }
      case 'end': {
        writeOutput(w);
        const c = w.running.get(m.n);
        if (!c) return;
        w.running.delete(m.n);
        if (!c.answered) {
          c.answered = true;
          if (m.error) {
            log(`The streamed answer broke off: ${m.error}.`, c.id);
            c.stream.abort(m.error);
          } else c.stream.end();
        }
        if (w.retired) endIfDrained(w);
        return;
      }
      case 'pong':
        w.pong = true;
        return;
      case 'ready':
        w.ready = true;
        if (w.candidate) return w.onCandidate && w.onCandidate({ ok: true });
        everReady = true;
        restartDelay = 0;
        loadFailure = null;
        first.resolve();
        if (w === active) waiting.splice(0).forEach((c) => dispatch(w, c));
        return;
      case 'load-error':
        if (w.candidate) return w.onCandidate && w.onCandidate({ ok: false, error: m.message });
        loadFailure = m.message;
        if (!everReady) return first.reject(new Error(m.message));
        log(m.message);
        for (const c of waiting.splice(0)) answer(c, 503, TEXT, Buffer.from(`Function ${config.functionName} could not load its handler: ${m.message}\n`));
        return;
    }
  }

  function onExit(w, code) {
    writeOutput(w); // what it printed before it ended or was terminated
    workers.delete(w);
    if (w.candidate && w.onCandidate) w.onCandidate({ ok: false, error: `its worker thread ended while loading the new code (exit code ${code})` });
    w.timers.forEach(clearTimeout);
    if (!w.stopped) {
      w.stopped = true;
      const why = w.crash ? `an uncaught error: ${(w.crash && w.crash.message) || w.crash}` : `exit code ${code}`;
      for (const c of w.running.values()) {
        log(`The handler's worker thread ended (${why}) before this call was answered.`, c.id);
        answer(c, 500, TEXT, Buffer.from(`Function ${config.functionName} stopped before answering (${why}). Check its logs.\n`));
      }
      w.running.clear();
      if (!everReady && !loadFailure) first.reject(new Error(`The handler's worker thread ended while loading the handler (${why}).`));
    }
    if (w === active) {
      active = null;
      if (!w.ready) restartDelay = Math.min(MAX_RESTART_DELAY_MS, Math.max(1000, restartDelay * 2));
      if (everReady) scheduleStart();
    }
  }

  function dispatch(w, c) {
    c.worker = w;
    w.running.set(c.n, c);
    const body = c.request.body;
    const transfer = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.byteLength > 0 ? [body.buffer] : [];
    w.thread.postMessage({ t: 'call', n: c.n, id: c.id, method: c.request.method, url: c.request.url, headers: c.request.headers, body }, transfer);
  }

  /** A streamed call can no longer get a status: its answer is cut instead (the caller sees it incomplete). */
  function answer(c, status, headers, body) {
    if (c.answered) return;
    c.answered = true;
    if (c.streaming) c.stream.abort(Buffer.from(body).toString('utf8').trim());
    else c.respond(status, headers, body);
  }

  /** Ends a retired worker once it has no calls left. */
  function endIfDrained(w) {
    if (!w.stopped && w.running.size === 0) stop(w, null);
  }

  /** Terminates the worker; its unanswered calls get a 503 that names the call whose timeout caused it. */
  function stop(w, reason) {
    if (w.stopped) return;
    w.stopped = true;
    w.timers.forEach(clearTimeout);
    const others = [...w.running.values()].filter((c) => !c.answered);
    if (reason && w.cause) {
      log(`Stopped the handler's worker thread: ${reason} after the ${config.timeoutSeconds}s timeout` + (others.length ? `; ${others.length} other call(s) on it answered 503.` : '.'), w.cause.id);
    }
    for (const c of others) {
      const why = w.cause ? `call ${w.cause.id} did not return within the ${config.timeoutSeconds}s timeout, so the worker running both was restarted` : reason;
      log(`Stopped before answering: ${why}.`, c.id);
      answer(c, 503, TEXT, Buffer.from(`Function ${config.functionName} stopped this call: ${why}. Retry it.\n`));
    }
    w.running.clear();
    w.thread.terminate().catch(() => undefined);
  }

  function retire(w, cause) {
    w.timedOut.add(cause.n);
    if (!w.retired) {
      w.retired = true;
      w.cause = cause;
      if (active === w) {
        active = null;
        scheduleStart();
      }
      w.thread.postMessage({ t: 'ping' });
      w.timers.push(setTimeout(() => !w.pong && stop(w, `its event loop was blocked (no answer to a ping within ${PING_MS} ms)`), PING_MS));
    }
    w.timers.push(
      setTimeout(() => {
        const still = [...w.timedOut].filter((n) => w.running.has(n)).length;
        if (still) stop(w, `call ${cause.id} was still running ${RETIRE_GRACE_MS} ms`);
      }, RETIRE_GRACE_MS),
    );
    endIfDrained(w);
  }

  /**
   * Live update: loads the handler from `srcDir` in a new worker thread; once it has loaded, new calls
   * go to it and the old worker ends after the calls it has. When the new code does not load, the old
   * worker keeps serving and the answer says why. Later restarts (after a timeout) load `srcDir`.
   */
  function reload(srcDir) {
    return new Promise((resolve) => {
      const w = startWorker(Object.assign({}, config, { srcDir }), true);
      const timer = setTimeout(() => done({ ok: false, error: 'the new code did not load within 30 s' }), 30000);
      function done(r) {
        if (!w.candidate) return;
        w.candidate = false;
        clearTimeout(timer);
        if (!r.ok) {
          w.stopped = true;
          w.thread.terminate().catch(() => undefined);
          return resolve(r);
        }
        config.srcDir = srcDir;
        const old = active;
        active = w;
        loadFailure = null;
        waiting.splice(0).forEach((c) => dispatch(w, c));
        if (old && old !== w && !old.retired) {
          old.retired = true;
          endIfDrained(old);
        }
        resolve({ ok: true });
      }
      w.onCandidate = done;
    });
  }

  startWorker();
  return {
    reload,
    /** Resolves once the first worker has loaded the handler; rejects with the reason it could not. */
    started,
    /** Writes every worker's pending output now (before a line of this thread's own). */
    flushOutput() {
      for (const w of workers) writeOutput(w);
    },
    /** False while no worker can load the handler (a later restart failed); the pod should not get traffic. */
    healthy: () => !loadFailure,
    /**
     * Runs one call. Its answer comes once, as `respond(status, headers, body)` (the handler's answer,
     * or a 500/503 when its worker ended or was stopped first), or streamed: `stream.head(status,
     * headers)`, `stream.chunk(bytes)`..., then `stream.end()`, or `stream.abort(reason)` when it broke off.
     */
    call(id, request, respond, stream) {
      const c = { n: ++seq, id, request, respond, stream, streaming: false, answered: false, worker: null };
      if (active && active.ready) dispatch(active, c);
      else {
        waiting.push(c);
        scheduleStart();
      }
      return c;
    },
    /** The caller has been answered without the handler (its timeout): stop its work if it does not finish soon. */
    giveUp(c) {
      c.answered = true;
      const i = waiting.indexOf(c);
      if (i >= 0) waiting.splice(i, 1);
      const w = c.worker;
      if (w && !w.stopped && w.running.has(c.n)) {
        w.thread.postMessage({ t: 'gone', n: c.n });
        retire(w, c);
      }
    },
    /** The caller hung up before the answer ended: the handler's response emits 'close'; the call runs on to its end. */
    callerGone(c) {
      const w = c.worker;
      if (w && !w.stopped && w.running.has(c.n)) w.thread.postMessage({ t: 'gone', n: c.n });
    },
    /** Shutdown: answers every unanswered call with 503 and terminates all workers. */
    close(message) {
      closed = true;
      for (const c of waiting.splice(0)) answer(c, 503, TEXT, Buffer.from(message + '\n'));
      for (const w of workers) {
        w.cause = null;
        for (const c of w.running.values()) answer(c, 503, TEXT, Buffer.from(message + '\n'));
        w.running.clear();
        stop(w, null);
      }
    },
  };
}

module.exports = { createWorkerHost };
