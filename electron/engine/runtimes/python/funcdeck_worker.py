# The worker side of Funcdeck's Python runtime: the zygote process and the worker processes that run
# the user's handler. server.py forks the zygote (through funcdeck_pool.py) before it starts any
# thread; the zygote imports the handler once, then forks a worker whenever the pool asks for one, so
# every worker starts warm (handler imported) and can be killed whole when a call times out.
#
# Zygote control socket (SOCK_SEQPACKET, one pickled tuple per packet):
#   zygote -> main: ("ready",) | ("load-error", message) once, then ("forked", pid) per request
#   main -> zygote: b"f" carrying one file descriptor (SCM_RIGHTS): the new worker's socket
# Worker socket (SOCK_STREAM, frames of a 4-byte length then a pickled tuple), one call at a time:
#   main -> worker: ("call", request_id, method, target, [(header, value)], body_bytes)
#   worker -> main: ("result", status, {header: value}, body_bytes), or a streamed answer (the handler
#                   returned a generator): ("head", status, headers), ("chunk", bytes)..., ("end", error)
#                   where error is None, or a message when the answer broke off
import asyncio
import contextvars
import importlib
import inspect
import os
import pickle
import signal
import socket
import struct
import sys
import threading
import traceback
from urllib.parse import parse_qs, urlsplit

from funcdeck_contract import Headers, build_context, build_event, encode_chunk, encode_result, is_stream, unwrap

FRAME = struct.Struct("!I")


# ---- framing on a worker socket ----
def send_msg(sock, obj):
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) < 65536:
        sock.sendall(FRAME.pack(len(data)) + data)
    else:  # no copy of a large body just to put the length in front
        sock.sendall(FRAME.pack(len(data)))
        sock.sendall(data)


def _recv_exact(sock, n, deadline, clock):
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        if deadline is not None:
            remaining = deadline - clock()
            if remaining <= 0:
                raise socket.timeout("deadline passed")
            sock.settimeout(remaining)
        k = sock.recv_into(view[got:])
        if k == 0:
            return None
        got += k
    return buf


def recv_msg(sock, deadline=None, clock=None):
    """The next message, or None when the other side closed. Raises socket.timeout after `deadline` (clock())."""
    head = _recv_exact(sock, FRAME.size, deadline, clock)
    if head is None:
        return None
    body = _recv_exact(sock, FRAME.unpack(head)[0], deadline, clock)
    return None if body is None else pickle.loads(body)


# ---- the handler's output: each line printed during a call starts with [req <id>] ----
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


def log(message, req_id=None):
    sys.stdout.write(("[req %s] " % req_id if req_id else "") + message + "\n")


# ---- the user's handler ----
def load_handler(config):
    """(handler, None), or (None, a message saying what is wrong)."""
    module_path, _, name = config["handler"].rpartition(".")
    for p in (config["deps_dir"], config["src_dir"]):
        if p not in sys.path:
            sys.path.insert(0, p)
    try:
        module = importlib.import_module(module_path.replace("/", "."))
    except BaseException:
        return None, "Could not load the handler module %s:\n%s" % (module_path, traceback.format_exc().rstrip())
    fn = getattr(module, name, None)
    if not callable(fn):
        found = [k for k, v in vars(module).items() if callable(v) and not k.startswith("_") and getattr(v, "__module__", None) == module.__name__]
        return None, 'The handler module %s has no function "%s"%s' % (module_path, name, " (it defines: %s)." % ", ".join(found) if found else ".")
    return fn, None


def run_handler(handler, event, context):
    result = handler(event, context)
    if inspect.isawaitable(result):
        async def wait():
            return await result
        result = asyncio.run(wait())
    return result


TEXT = {"content-type": "text/plain; charset=utf-8"}


def _error_status(e):
    status = getattr(e, "statusCode", None) or getattr(e, "status_code", None)
    return status if isinstance(status, int) and 400 <= status < 600 else 500


def _items(gen):
    """Iterates a generator or an async generator (on its own event loop)."""
    if not inspect.isasyncgen(gen):
        yield from gen
        return
    loop = asyncio.new_event_loop()
    try:
        while True:
            try:
                yield loop.run_until_complete(gen.__anext__())
            except StopAsyncIteration:
                return
    finally:
        loop.close()


def stream_result(status, headers, gen, send, req_id):
    """Sends what a generator yields as it yields it: ("head", ...), ("chunk", bytes)..., ("end", error or None).
    Until its first item, a failure is still an ordinary error answer."""
    items = _items(gen)
    try:
        first = next(items)
    except StopIteration:
        send(("result", status, headers, b""))
        return
    except BaseException as e:  # noqa: B902 - the handler's failure is the caller's answer
        print("Handler raised:\n" + traceback.format_exc().rstrip())
        send(("result", _error_status(e), TEXT, ("Error: %s\n" % e).encode()))
        return
    ctype, data = encode_chunk(first)
    headers.setdefault("content-type", ctype)
    send(("head", status, headers))
    sent = len(data)
    if data:
        send(("chunk", data))
    try:
        for item in items:
            data = encode_chunk(item)[1]
            sent += len(data)
            if data:
                send(("chunk", data))
    except BaseException as e:  # noqa: B902
        print("Handler raised while streaming (after %d bytes):\n%s" % (sent, traceback.format_exc().rstrip()))
        send(("end", "the handler raised after streaming began: %s" % e))
        return
    send(("end", None))


def run_call(handler, config, req_id, method, target, header_items, raw, send):
    """Runs one call and sends its answer with `send`: ("result", status, headers, body), or streamed."""
    headers = Headers((k.lower(), v) for k, v in header_items)
    url = urlsplit(target)
    query = {k: (v[0] if len(v) == 1 else v) for k, v in parse_qs(url.query, keep_blank_values=True).items()}
    try:
        event = build_event(req_id, method, target, url.path, query, headers, raw)
    except ValueError as e:
        message = str(e) if "CloudEvent" in str(e) else "The body is not valid JSON: %s" % e
        send(("result", 400, TEXT, (message + "\n").encode()))
        return
    context = build_context(config)
    scope = {"id": req_id, "partial": ""}
    token = current_request.set(scope)
    try:
        try:
            value = run_handler(handler, event, context)
        except BaseException as e:  # noqa: B902 - the handler's failure (even SystemExit) is the caller's answer
            print("Handler raised:\n" + traceback.format_exc().rstrip())
            send(("result", _error_status(e), TEXT, ("Error: %s\n" % e).encode()))
            return
        status, headers_out, body = unwrap(value)
        if is_stream(body):
            # The generator runs here, inside the call's scope: its prints keep the request id.
            stream_result(status, {str(k).lower(): str(v) for k, v in headers_out.items()}, body, send, req_id)
            return
        try:
            answer = encode_result(value)
        except (TypeError, ValueError) as e:
            log("The handler's result could not be sent: %s" % e, req_id)
            answer = (500, TEXT, ("Function result could not be encoded: %s\n" % e).encode())
        send(("result",) + tuple(answer))
    finally:
        for stream in (sys.stdout, sys.stderr):
            flush_scope = getattr(stream, "flush_scope", None)  # the handler may have replaced the stream
            if flush_scope:
                flush_scope(scope)
        current_request.reset(token)


# ---- processes ----
def worker_main(sock, handler, config):
    """One worker process: runs the calls main sends, one at a time, until main closes the socket."""
    while True:
        try:
            msg = recv_msg(sock)
        except OSError:
            msg = None
        if msg is None:
            os._exit(0)
        _, req_id, method, target, header_items, raw = msg
        run_call(handler, config, req_id, method, target, header_items, raw, lambda m: send_msg(sock, m))


def become_subreaper():
    """Processes a handler started and left behind are reparented here and reaped (not left as zombies of PID 1)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (ImportError, OSError, AttributeError):
        pass  # without ctypes they are reparented to PID 1 as before


def forget_code(config, src_dir):
    """In a live reload's new zygote: drops the modules imported from the old code's folder (the
    packages stay imported) and returns the config for the new folder."""
    old = config["src_dir"]
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(old + os.sep):
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path if p != old]
    importlib.invalidate_caches()
    return dict(config, src_dir=src_dir)


def zygote_main(ctrl, config):
    """Imports the handler, then forks a worker per request on `ctrl`; never returns."""
    # server.py handles Ctrl-C and SIGTERM for the whole tree and kills workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not isinstance(sys.stdout, PrefixingStream):  # a live reload's zygote inherits them wrapped
        sys.stdout = PrefixingStream(sys.stdout)
        sys.stderr = PrefixingStream(sys.stderr)
    handler, error = load_handler(config)
    if error:
        ctrl.send(pickle.dumps(("load-error", error[-30000:])))
        os._exit(1)
    children = set()

    def reap(*_):
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    become_subreaper()
    ctrl.send(pickle.dumps(("ready",)))
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(ctrl, 4096, 1)
        except OSError:
            data, fds = b"", []
        if not data:  # server.py is gone: so are its workers
            for pid in list(children):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            os._exit(0)
        if data[:1] == b"z":  # live update: a new zygote importing the code in another folder
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
            pid = os.fork()
            if pid == 0:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
                ctrl.close()
                zygote_main(socket.socket(fileno=fds[0]), forget_code(config, data[1:].decode()))
            children.add(pid)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            for fd in fds:
                os.close(fd)
            ctrl.send(pickle.dumps(("forked", pid)))
            continue
        # SIGCHLD waits until the new pid is recorded, so a worker that dies at once is not missed.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        pid = os.fork()
        if pid == 0:
            os.setpgid(0, 0)  # its own process group: a kill on timeout takes the handler's child processes too
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            ctrl.close()
            worker_main(socket.socket(fileno=fds[0]), handler, config)
        try:
            os.setpgid(pid, pid)  # also here, so the group exists before main can signal it
        except OSError:
            pass
        children.add(pid)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        for fd in fds:
            os.close(fd)
        ctrl.send(pickle.dumps(("forked", pid)))
