# Funcdeck's Python runtime server. Runs inside the function's pod on a stock python image, mounted
# from the revision's ConfigMap with funcdeck_pool.py and funcdeck_worker.py: standard library only.
# It serves the user's handler (kubeless contract: handler(event, context)) over HTTP, and /healthz,
# /readyz and Prometheus /metrics on a second port. Settings come from FUNCDECK_* environment variables.
#
# This process never runs user code: each call runs in a worker process forked, with the handler
# already imported, from a zygote process started before any thread. Concurrent calls to one pod run
# in parallel up to FUNCDECK_CONCURRENCY (default 4) worker processes; more wait in line, and their
# timeout counts from their arrival. A call that times out is answered 504 and its worker process is
# killed (so the stuck work stops) and replaced. On SIGTERM the server stops taking calls, lets those
# in flight finish until FUNCDECK_SHUTDOWN_GRACE_MS, then kills the workers and exits 0.
import os
import secrets
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from funcdeck_pool import Pool, Streamed

env = os.environ
FUNCTION_NAME = env.get("FUNCDECK_FUNCTION_NAME", "function")
HANDLER = env.get("FUNCDECK_HANDLER", "handler.main")
SRC_DIR = env.get("FUNCDECK_SRC_DIR", "/funcdeck/src")
DEPS_DIR = env.get("FUNCDECK_DEPS_DIR", "/funcdeck/deps")
TIMEOUT_S = float(env.get("FUNCDECK_TIMEOUT", "180"))
HTTP_PORT = int(env.get("FUNCDECK_HTTP_PORT", "8080"))
METRICS_PORT = int(env.get("FUNCDECK_METRICS_PORT", "9090"))
HOST = env.get("FUNCDECK_HOST", "0.0.0.0")
REVISION = env.get("FUNCDECK_REVISION", "")
MEMORY_LIMIT = env.get("FUNCDECK_MEMORY_LIMIT", "")
MAX_BODY = int(env.get("FUNCDECK_MAX_BODY_BYTES", str(64 * 1024 * 1024)))
SHUTDOWN_GRACE_S = float(env.get("FUNCDECK_SHUTDOWN_GRACE_MS", "25000")) / 1000
CONCURRENCY_TEXT = env.get("FUNCDECK_CONCURRENCY", "4")
CONCURRENCY = int(CONCURRENCY_TEXT) if CONCURRENCY_TEXT.isdigit() and int(CONCURRENCY_TEXT) > 0 else 4
RUNTIME = "python%d.%d" % sys.version_info[:2]
HEADER_ID = "x-funcdeck-request-id"
HEADER_DURATION = "x-funcdeck-duration-ms"
HEADER_REVISION = "x-funcdeck-revision"
TIMEOUT_TEXT = ("%g" % TIMEOUT_S)


def valid_id(value):
    return value is not None and 4 <= len(value) <= 64 and all(c.isascii() and (c.isalnum() or c == "-") for c in value)


output_lock = threading.Lock()


def log(message, req_id=None):
    with output_lock:
        sys.stdout.write(("[req %s] " % req_id if req_id else "") + message + "\n")
        sys.stdout.flush()


# ---- metrics ----
BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900]
START_TIME = time.time()
metrics_lock = threading.Lock()
by_code = {}
bucket_counts = [0] * len(BUCKETS)
duration = {"sum": 0.0, "count": 0}
in_flight = [0]


def observe(code, seconds):
    with metrics_lock:
        by_code[code] = by_code.get(code, 0) + 1
        for i, b in enumerate(BUCKETS):
            if seconds <= b:
                bucket_counts[i] += 1
        duration["sum"] += seconds
        duration["count"] += 1


def metrics_text():
    fn = 'function="%s",revision="%s"' % (FUNCTION_NAME, REVISION)
    with metrics_lock:
        lines = ["# HELP funcdeck_requests_total Calls handled, by HTTP status code.", "# TYPE funcdeck_requests_total counter"]
        for code in sorted(by_code):
            lines.append('funcdeck_requests_total{%s,code="%d"} %d' % (fn, code, by_code[code]))
        lines.append("# HELP funcdeck_request_duration_seconds Time spent in the handler, per call.")
        lines.append("# TYPE funcdeck_request_duration_seconds histogram")
        for b, n in zip(BUCKETS, bucket_counts):
            lines.append('funcdeck_request_duration_seconds_bucket{%s,le="%g"} %d' % (fn, b, n))
        lines.append('funcdeck_request_duration_seconds_bucket{%s,le="+Inf"} %d' % (fn, duration["count"]))
        lines.append("funcdeck_request_duration_seconds_sum{%s} %r" % (fn, duration["sum"]))
        lines.append("funcdeck_request_duration_seconds_count{%s} %d" % (fn, duration["count"]))
        lines.append("# HELP funcdeck_requests_in_flight Calls being handled right now.")
        lines.append("# TYPE funcdeck_requests_in_flight gauge")
        lines.append("funcdeck_requests_in_flight{%s} %d" % (fn, in_flight[0]))
    lines.append("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.")
    lines.append("# TYPE process_start_time_seconds gauge")
    lines.append("process_start_time_seconds %r" % START_TIME)
    t = os.times()
    lines.append("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds, worker processes included.")
    lines.append("# TYPE process_cpu_seconds_total counter")
    lines.append("process_cpu_seconds_total %r" % (t.user + t.system + (pool.cpu_seconds() if pool else 0)))
    try:
        with open("/proc/self/statm") as f:
            rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        lines.append("# HELP process_resident_memory_bytes Resident memory size in bytes.")
        lines.append("# TYPE process_resident_memory_bytes gauge")
        lines.append("process_resident_memory_bytes %d" % rss)
    except (OSError, ValueError, IndexError):
        pass
    return "\n".join(lines) + "\n"


TEXT = {"content-type": "text/plain; charset=utf-8"}
state = {"ready": False, "shutting_down": False}
pool = None
in_flight_done = threading.Condition()


class FunctionHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "funcdeck-python"
    # Headers and body go out in two writes; with Nagle's algorithm the body would wait for the
    # peer's delayed ACK of the headers (~40 ms on every call through the API server's proxy).
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # the access log would drown the function's own lines
        pass

    def handle_call(self):
        started = time.monotonic()
        given = self.headers.get(HEADER_ID)
        req_id = given if valid_id(given) else secrets.token_hex(6)
        with metrics_lock:
            in_flight[0] += 1
        try:
            sink = StreamSink(self, req_id, started)
            answer = self.call(req_id, started, sink)
            elapsed = time.monotonic() - started
            if isinstance(answer, Streamed):
                observe(sink.finish(answer), elapsed)
                return
            status, headers, body = answer
            observe(status, elapsed)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header(HEADER_ID, req_id)
            self.send_header(HEADER_DURATION, "%.3f" % (elapsed * 1000))
            if REVISION:
                self.send_header(HEADER_REVISION, REVISION)
            self.send_header("content-length", str(len(body)))
            if state["shutting_down"]:
                self.send_header("connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        finally:
            pool.top_up()  # after a killed worker: a warm one for the next call, once this caller has its answer
            # Counted until the answer is written, so a graceful shutdown waits for it.
            with metrics_lock:
                in_flight[0] -= 1
            with in_flight_done:
                in_flight_done.notify_all()

    def call(self, req_id, started, sink):
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY:
            return 413, TEXT, b"Request body too large\n"
        raw = self.rfile.read(length) if length else b""
        answer = pool.run(req_id, self.command, self.path, self.headers.items(), raw, started + TIMEOUT_S, sink)
        if answer is None:
            log("Function timed out after %ss; answered 504. Raise timeoutSeconds or make the handler return sooner." % TIMEOUT_TEXT, req_id)
            return 504, TEXT, ("Function %s timed out after %ss\n" % (FUNCTION_NAME, TIMEOUT_TEXT)).encode()
        return answer

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = handle_call


class StreamSink:
    """Writes a streamed answer (a generator handler) as it comes: chunked, each chunk flushed at once,
    the handler's time as a trailer. An answer that does not end well is cut (the connection closes
    before the last chunk), so the caller cannot take it for complete."""

    def __init__(self, handler, req_id, started):
        self.handler = handler
        self.req_id = req_id
        self.started = started
        self.status = None
        self.sent = 0
        self.open = True

    def head(self, status, headers):
        h = self.handler
        self.status = status
        try:
            h.send_response(status)
            for k, v in headers.items():
                if k != "content-length":
                    h.send_header(k, v)
            h.send_header(HEADER_ID, self.req_id)
            if REVISION:
                h.send_header(HEADER_REVISION, REVISION)
            h.send_header("transfer-encoding", "chunked")
            h.send_header("trailer", HEADER_DURATION)
            if state["shutting_down"]:
                h.send_header("connection", "close")
                h.close_connection = True
            h.end_headers()
            h.wfile.flush()
        except OSError:
            self.open = False

    def chunk(self, data):
        if not self.open:
            return False
        self.sent += len(data)
        if self.handler.command == "HEAD":
            return True
        try:
            self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.handler.wfile.flush()
            return True
        except OSError:
            self.open = False
            return False

    def finish(self, streamed):
        """Ends the answer; returns the status the call counts as in the metrics."""
        if streamed.outcome == "ended" and self.open:
            ms = (time.monotonic() - self.started) * 1000
            try:
                self.handler.wfile.write(b"0\r\n%s: %.3f\r\n\r\n" % (HEADER_DURATION.encode(), ms) if self.handler.command != "HEAD" else b"")
                self.handler.wfile.flush()
            except OSError:
                pass
            return self.status
        self.handler.close_connection = True
        if streamed.outcome == "timeout":
            log("Function timed out after %ss while streaming its answer (%d bytes sent); the answer was cut. Raise timeoutSeconds or end the stream sooner." % (TIMEOUT_TEXT, self.sent), self.req_id)
            return 504
        if streamed.outcome == "gone":
            log("The caller left before the streamed answer ended (%d bytes sent); the handler was stopped." % self.sent, self.req_id)
            return self.status
        log("The streamed answer was cut after %d bytes: %s." % (self.sent, streamed.why), self.req_id)
        return 500


class OpsHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/healthz":
            self.reply(200, "text/plain", b"ok\n")
        elif path == "/readyz":
            ok = state["ready"] and not state["shutting_down"]
            self.reply(200 if ok else 503, "text/plain", b"ready\n" if ok else b"not ready\n")
        elif path == "/metrics":
            self.reply(200, "text/plain; version=0.0.4", metrics_text().encode())
        else:
            self.reply(404, "text/plain", b"not found\n")

    def reply(self, status, ctype, body):
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global pool
    if env.get("FUNCDECK_DEPS_DIGEST"):
        try:
            from funcdeck_deps import unpack_dependencies

            unpacked = unpack_dependencies(env)
        except Exception as e:  # noqa: BLE001 - any failure here means the handler cannot import its packages
            log("Could not unpack the function's dependencies: %s" % e)
            sys.exit(1)
        if unpacked:
            log(unpacked)
    # The zygote is forked first, while this process has one thread (forking a threaded process is unsafe).
    pool = Pool(
        {
            "function_name": FUNCTION_NAME,
            "handler": HANDLER,
            "src_dir": SRC_DIR,
            "deps_dir": DEPS_DIR,
            "timeout_text": TIMEOUT_TEXT,
            "timeout": TIMEOUT_S,
            "runtime": RUNTIME,
            "memory_limit": MEMORY_LIMIT,
            "revision": REVISION,
        },
        CONCURRENCY,
        log,
    )
    if CONCURRENCY_TEXT != str(CONCURRENCY):
        log("FUNCDECK_CONCURRENCY=%r is not a whole number above 0; running up to %d calls at a time." % (CONCURRENCY_TEXT, CONCURRENCY))
    error = pool.start()
    if error is not None:
        log(error)
        sys.exit(1)
    if env.get("FUNCDECK_LIVE_DIR"):
        from funcdeck_live import install as install_live

        install_live(pool, log, env, SRC_DIR)
    server = Server((HOST, HTTP_PORT), FunctionHandler)
    ops = Server((HOST, METRICS_PORT), OpsHandler)
    threading.Thread(target=ops.serve_forever, daemon=True).start()
    state["ready"] = True

    def shutdown(signum, frame):
        if state["shutting_down"]:
            return
        state["shutting_down"] = True
        log("%s received: finishing %d call(s) in flight, then exiting." % (signal.Signals(signum).name, in_flight[0]))
        # serve_forever must be stopped from another thread; then wait for the calls in flight.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    log("Funcdeck %s runtime: %s (%s) listening on :%d, metrics on :%d" % (RUNTIME, FUNCTION_NAME, HANDLER, server.server_address[1], ops.server_address[1]))
    server.serve_forever(poll_interval=0.2)
    wait_in_flight(time.monotonic() + SHUTDOWN_GRACE_S)
    if in_flight[0] > 0:
        log("Exiting with %d call(s) still in flight after the shutdown grace period; they are answered 503." % in_flight[0])
    pool.close()  # their workers end, so those calls are answered at once
    wait_in_flight(time.monotonic() + 1)
    sys.stdout.flush()
    os._exit(0)


def wait_in_flight(deadline):
    with in_flight_done:
        while in_flight[0] > 0 and time.monotonic() < deadline:
            in_flight_done.wait(0.2)


if __name__ == "__main__":
    main()
