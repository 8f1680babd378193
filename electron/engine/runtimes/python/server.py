# Funcdeck's Python runtime server. Runs inside the function's pod on a stock python image, mounted
# from the revision's ConfigMap: standard library only. It loads the user's handler (kubeless
# contract: handler(event, context)), serves it over HTTP, and serves /healthz, /readyz and Prometheus
# /metrics on a second port. Settings come from FUNCDECK_* environment variables.
import asyncio
import contextvars
import datetime
import importlib
import inspect
import json
import os
import secrets
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

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
RUNTIME = "python%d.%d" % sys.version_info[:2]
HEADER_ID = "x-funcdeck-request-id"
HEADER_DURATION = "x-funcdeck-duration-ms"
HEADER_REVISION = "x-funcdeck-revision"
TIMEOUT_TEXT = ("%g" % TIMEOUT_S)


def valid_id(value):
    return value is not None and 4 <= len(value) <= 64 and all(c.isascii() and (c.isalnum() or c == "-") for c in value)


# ---- request-scoped log prefix: each line a handler prints during a call starts with [req <id>] ----
current_request = contextvars.ContextVar("funcdeck_request", default=None)


class PrefixingStream:
    """Wraps stdout/stderr: lines written inside a call get its prefix and are written whole."""

    def __init__(self, inner):
        self._inner = inner
        self._lock = threading.Lock()

    def write(self, text):
        scope = current_request.get()
        if scope is None:
            with self._lock:
                n = self._inner.write(text)
                self._inner.flush()
            return n
        scope["partial"] += text
        if "\n" in scope["partial"]:
            *lines, scope["partial"] = scope["partial"].split("\n")
            out = "".join("[req %s] %s\n" % (scope["id"], line) for line in lines)
            with self._lock:
                self._inner.write(out)
                self._inner.flush()
        return len(text)

    def flush_scope(self, scope):
        if scope["partial"]:
            with self._lock:
                self._inner.write("[req %s] %s\n" % (scope["id"], scope["partial"]))
                self._inner.flush()
            scope["partial"] = ""

    def flush(self):
        self._inner.flush()

    def __getattr__(self, name):
        return getattr(self._inner, name)


sys.stdout = PrefixingStream(sys.stdout)
sys.stderr = PrefixingStream(sys.stderr)


def log(message, req_id=None):
    sys.stdout.write(("[req %s] " % req_id if req_id else "") + message + "\n")


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
    lines.append("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.")
    lines.append("# TYPE process_cpu_seconds_total counter")
    lines.append("process_cpu_seconds_total %r" % (t.user + t.system))
    try:
        with open("/proc/self/statm") as f:
            rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        lines.append("# HELP process_resident_memory_bytes Resident memory size in bytes.")
        lines.append("# TYPE process_resident_memory_bytes gauge")
        lines.append("process_resident_memory_bytes %d" % rss)
    except (OSError, ValueError, IndexError):
        pass
    return "\n".join(lines) + "\n"


# ---- the user's handler ----
def load_handler():
    module_path, _, name = HANDLER.rpartition(".")
    for p in (DEPS_DIR, SRC_DIR):
        if p not in sys.path:
            sys.path.insert(0, p)
    try:
        module = importlib.import_module(module_path.replace("/", "."))
    except BaseException:
        log("Could not load the handler module %s:\n%s" % (module_path, traceback.format_exc().rstrip()))
        sys.exit(1)
    fn = getattr(module, name, None)
    if not callable(fn):
        found = [k for k, v in vars(module).items() if callable(v) and not k.startswith("_") and getattr(v, "__module__", None) == module.__name__]
        log('The handler module %s has no function "%s"%s' % (module_path, name, " (it defines: %s)." % ", ".join(found) if found else "."))
        sys.exit(1)
    return fn


def decode_body(raw, content_type):
    ctype = (content_type or "").split(";")[0].strip().lower()
    if not raw:
        return None if ctype == "application/json" else ""
    if ctype == "application/json" or ctype.endswith("+json"):
        return json.loads(raw.decode("utf-8"))
    if not ctype or ctype.startswith("text/") or ctype in ("application/x-www-form-urlencoded", "application/xml", "application/javascript"):
        return raw.decode("utf-8", errors="replace")
    return raw


def encode_body(value):
    if value is None:
        return {}, b""
    if isinstance(value, str):
        return {"content-type": "text/plain; charset=utf-8"}, value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"content-type": "application/octet-stream"}, bytes(value)
    return {"content-type": "application/json"}, json.dumps(value, default=str).encode("utf-8")


def encode_result(value):
    if isinstance(value, dict) and isinstance(value.get("statusCode"), int):
        headers, body = encode_body(value.get("body"))
        headers = dict(headers)
        for k, v in (value.get("headers") or {}).items():
            headers[str(k).lower()] = str(v)
        return value["statusCode"], headers, body
    headers, body = encode_body(value)
    return 200, headers, body


def run_handler(handler, event, context):
    result = handler(event, context)
    if inspect.isawaitable(result):
        async def wait():
            return await result
        result = asyncio.run(wait())
    return result


state = {"ready": False, "shutting_down": False}
in_flight_done = threading.Condition()


class FunctionHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "funcdeck-python"

    def log_message(self, fmt, *args):  # the access log would drown the function's own lines
        pass

    def handle_call(self):
        started = time.monotonic()
        given = self.headers.get(HEADER_ID)
        req_id = given if valid_id(given) else secrets.token_hex(6)
        with metrics_lock:
            in_flight[0] += 1
        try:
            status, headers, body = self.call(req_id)
            elapsed = time.monotonic() - started
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
            # Counted until the answer is written, so a graceful shutdown waits for it.
            with metrics_lock:
                in_flight[0] -= 1
            with in_flight_done:
                in_flight_done.notify_all()

    def call(self, req_id):
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY:
            return 413, {"content-type": "text/plain; charset=utf-8"}, b"Request body too large\n"
        raw = self.rfile.read(length) if length else b""
        try:
            data = decode_body(raw, self.headers.get("content-type"))
        except ValueError as e:
            return 400, {"content-type": "text/plain; charset=utf-8"}, ("The body is not valid JSON: %s\n" % e).encode()
        url = urlsplit(self.path)
        query = {k: (v[0] if len(v) == 1 else v) for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        event = {
            "data": data,
            "event-id": req_id,
            "event-type": self.headers.get("event-type") or self.headers.get("content-type") or "",
            "event-time": self.headers.get("event-time") or datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "event-namespace": self.headers.get("event-namespace") or "funcdeck.dev",
            "extensions": {
                "request": {
                    "method": self.command,
                    "path": url.path,
                    "query": query,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                }
            },
        }
        context = {
            "function-name": FUNCTION_NAME,
            "timeout": TIMEOUT_TEXT,
            "runtime": RUNTIME,
            "memory-limit": MEMORY_LIMIT,
            "revision": REVISION,
        }
        outcome = {}
        scope = {"id": req_id, "partial": ""}

        def target():
            current_request.set(scope)
            try:
                outcome["value"] = run_handler(self.server.handler, event, context)
            except BaseException as e:  # noqa: B902 - the handler's failure is the caller's answer
                outcome["error"] = e
                print("Handler raised:\n" + traceback.format_exc().rstrip())
            finally:
                sys.stdout.flush_scope(scope)
                sys.stderr.flush_scope(scope)

        # A thread per call, so a handler that never returns costs a thread, not the server.
        worker = threading.Thread(target=contextvars.copy_context().run, args=(target,), daemon=True)
        worker.start()
        worker.join(TIMEOUT_S)
        if worker.is_alive():
            sys.stdout.write("[req %s] Function timed out after %ss; answered 504. Raise timeoutSeconds or make the handler return sooner.\n" % (req_id, TIMEOUT_TEXT))
            return 504, {"content-type": "text/plain; charset=utf-8"}, ("Function %s timed out after %ss\n" % (FUNCTION_NAME, TIMEOUT_TEXT)).encode()
        if "error" in outcome:
            e = outcome["error"]
            status = getattr(e, "statusCode", None) or getattr(e, "status_code", None)
            status = status if isinstance(status, int) and 400 <= status < 600 else 500
            return status, {"content-type": "text/plain; charset=utf-8"}, ("Error: %s\n" % e).encode()
        try:
            return encode_result(outcome.get("value"))
        except (TypeError, ValueError) as e:
            sys.stdout.write("[req %s] The handler's result could not be sent: %s\n" % (req_id, e))
            return 500, {"content-type": "text/plain; charset=utf-8"}, ("Function result could not be encoded: %s\n" % e).encode()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = handle_call


class OpsHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

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
    handler = load_handler()
    server = Server((HOST, HTTP_PORT), FunctionHandler)
    server.handler = handler
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
    deadline = time.monotonic() + SHUTDOWN_GRACE_S
    with in_flight_done:
        while in_flight[0] > 0 and time.monotonic() < deadline:
            in_flight_done.wait(0.2)
    if in_flight[0] > 0:
        log("Exiting with %d call(s) still in flight after the shutdown grace period." % in_flight[0])
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
