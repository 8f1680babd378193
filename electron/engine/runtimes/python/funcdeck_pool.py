# The main process's side of Funcdeck's Python runtime workers (see funcdeck_worker.py): forks the
# zygote, keeps a pool of warm worker processes, runs each call in one of them, and kills the worker
# (the whole process, with whatever it was doing) when its call passes its deadline.
#
# Up to `size` calls run in parallel, each in its own process; more wait for a free worker, and a call
# that is still waiting at its deadline is answered 504 without running. A worker that finished a call
# takes the next; module-level state lives as long as its process. One warm worker is kept ready after
# a kill, so the next call does not wait for a fork.
import os
import pickle
import select
import signal
import socket
import sys
import threading
import time

from funcdeck_worker import recv_msg, send_msg, zygote_main

TEXT = {"content-type": "text/plain; charset=utf-8"}


class PoolClosed(Exception):
    pass


class Streamed:
    """How a streamed answer ended: "ended", "cut" (with why), "timeout", or "gone" (the caller left)."""

    def __init__(self, outcome, why=None):
        self.outcome = outcome
        self.why = why


class Worker:
    def __init__(self, pid, pidfd, sock):
        self.pid = pid
        self.pidfd = pidfd  # signals reach this very process, never a later one with its pid
        self.sock = sock
        self.dead = False
        self.gen = 0  # the code generation (live update) it was forked with

    def kill(self):
        if self.dead:
            return
        self.dead = True
        try:
            # The worker leads its own process group (the handler's child processes too). While the
            # worker lives, its pid cannot have been reused, so the group is surely ours.
            if self.pidfd is None or not select.select([self.pidfd], [], [], 0)[0]:
                os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass  # it has already ended
        if self.pidfd is not None:
            os.close(self.pidfd)
        self.sock.close()


class Pool:
    def __init__(self, config, size, log):
        self.config = config
        self.size = max(1, size)
        self.log = log
        self.cond = threading.Condition()
        self.idle = []
        self.live = set()
        self.forking = 0  # workers being forked, counted against size
        self.short = False  # a worker was killed: fork a warm replacement after answering
        self.closed = False
        self.ctrl_lock = threading.Lock()
        self.ctrl = None
        self.zygote_pid = None
        self.gen = 0  # bumped by each live reload; workers of older code end after their call

    def start(self):
        """Forks the zygote, which imports the handler; call before any thread exists. Returns None, or why the handler did not load."""
        sys.stdout.flush()
        sys.stderr.flush()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            ours.close()
            try:
                zygote_main(theirs, self.config)
            finally:
                os._exit(1)
        theirs.close()
        self.ctrl, self.zygote_pid = ours, pid
        reply = ours.recv(1 << 16)
        msg = pickle.loads(reply) if reply else ("load-error", None)
        if msg[0] != "ready":
            return msg[1] or "The process importing the handler ended before it was imported (see the lines above)."
        self.release(self._fork())
        return None

    def _fork(self):
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with self.ctrl_lock:
                socket.send_fds(self.ctrl, [b"f"], [theirs.fileno()])
                reply = self.ctrl.recv(4096)
        except OSError:
            reply = b""
        finally:
            theirs.close()
        if not reply:
            mine.close()
            self.log("The runtime's zygote process (which starts the handler's workers) has ended; exiting so that Kubernetes restarts the function.")
            os._exit(1)
        pid = pickle.loads(reply)[1]
        pidfd = None
        if hasattr(os, "pidfd_open"):
            try:
                pidfd = os.pidfd_open(pid)
            except OSError:
                pass
        worker = Worker(pid, pidfd, mine)
        with self.cond:
            worker.gen = self.gen
            self.live.add(worker)
        return worker

    def _acquire(self, deadline):
        with self.cond:
            while not self.idle and len(self.live) + self.forking >= self.size:
                if self.closed:
                    raise PoolClosed()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.cond.wait(remaining)
            if self.closed:
                raise PoolClosed()
            if self.idle:
                return self.idle.pop()
            self.forking += 1
        try:
            return self._fork()
        finally:
            with self.cond:
                self.forking -= 1

    def release(self, worker):
        with self.cond:
            if self.closed or worker.gen != self.gen:  # shutting down, or it runs code replaced by a live update
                self.live.discard(worker)
                worker.kill()
                self.cond.notify()
                return
            self.idle.append(worker)
            self.cond.notify()

    def discard(self, worker):
        worker.kill()
        with self.cond:
            self.live.discard(worker)
            self.short = True
            self.cond.notify()

    def top_up(self):
        """After a worker was killed, forks a warm replacement (called once the caller has its answer)."""
        with self.cond:
            if not self.short or self.closed or self.idle or len(self.live) + self.forking >= self.size:
                return
            self.short = False
            self.forking += 1
        try:
            worker = self._fork()
        finally:
            with self.cond:
                self.forking -= 1
        self.release(worker)

    def run(self, req_id, method, target, header_items, raw, deadline, sink):
        """(status, headers, body) from the handler, or None when `deadline` (time.monotonic()) passed first;
        for a streamed answer (a generator), a Streamed after passing it on to `sink` as it came."""
        name = self.config["function_name"]
        closing = (503, TEXT, ("Function %s is shutting down; this call did not finish within the shutdown grace period.\n" % name).encode())
        for _ in range(3):
            try:
                worker = self._acquire(deadline)
            except PoolClosed:
                return closing
            if worker is None:
                return None
            try:
                worker.sock.settimeout(max(0.001, deadline - time.monotonic()))
                send_msg(worker.sock, ("call", req_id, method, target, header_items, raw))
            except socket.timeout:
                self.discard(worker)
                return None
            except OSError:  # an idle worker that ended meanwhile: take another
                self.discard(worker)
                continue
            try:
                reply = recv_msg(worker.sock, deadline, time.monotonic)
            except socket.timeout:
                self.discard(worker)  # SIGKILL: the handler's work stops here, whatever it was
                return None
            except OSError:
                reply = None
            if reply is None:
                self.discard(worker)
                if self.closed:
                    return closing
                self.log("The worker process running this call ended before answering (the handler exited, or it ran out of memory).", req_id)
                return 500, TEXT, ("Function %s stopped before answering: its worker process ended. Check its logs.\n" % name).encode()
            if reply[0] == "head":
                return self._stream(worker, reply, deadline, sink)
            self.release(worker)
            return reply[1], reply[2], reply[3]
        self.log("No worker process could take this call: each ended at once.", req_id)
        return 503, TEXT, ("Function %s has no worker process able to take calls. Check its logs.\n" % name).encode()

    def _stream(self, worker, head, deadline, sink):
        """Passes a streamed answer on: sink.head(status, headers), then sink.chunk(bytes) per chunk
        (False when the caller is gone); the deadline still holds for the whole answer."""
        sink.head(head[1], head[2])
        while True:
            try:
                msg = recv_msg(worker.sock, deadline, time.monotonic)
            except socket.timeout:
                self.discard(worker)  # the timeout: the handler's work stops here
                return Streamed("timeout")
            except OSError:
                msg = None
            if msg is None:
                self.discard(worker)
                why = "the function is shutting down" if self.closed else "its worker process ended (the handler exited, or it ran out of memory)"
                return Streamed("cut", why)
            if msg[0] == "chunk":
                if not sink.chunk(msg[1]):
                    self.discard(worker)  # nobody reads the rest: stop producing it
                    return Streamed("gone")
                continue
            self.release(worker)
            return Streamed("cut", msg[1]) if msg[1] else Streamed("ended")

    def reload(self, src_dir, timeout=30.0):
        """Live update: the zygote forks a new zygote that imports the code in `src_dir`; once it has,
        new calls get workers forked from it, idle workers of the old code end at once and busy ones
        after their call. Returns None, or why the new code did not load (the old code keeps serving)."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            with self.ctrl_lock:
                socket.send_fds(self.ctrl, [b"z" + src_dir.encode()], [theirs.fileno()])
                reply = self.ctrl.recv(4096)
        except OSError as e:
            mine.close()
            return "the runtime's zygote could not start the new code (%s)" % e
        finally:
            theirs.close()
        if not reply:
            mine.close()
            return "the runtime's zygote has ended"
        new_pid = pickle.loads(reply)[1]
        mine.settimeout(timeout)
        try:
            answer = mine.recv(1 << 16)
        except socket.timeout:
            answer = pickle.dumps(("load-error", "the new code did not load within %d s" % timeout))
        msg = pickle.loads(answer) if answer else ("load-error", None)
        if msg[0] != "ready":
            mine.close()
            try:
                os.kill(new_pid, signal.SIGKILL)
            except OSError:
                pass
            return msg[1] or "the process importing the new code ended before it was imported (see the lines above)"
        mine.settimeout(None)
        with self.ctrl_lock:
            old_ctrl, old_pid = self.ctrl, self.zygote_pid
            self.ctrl, self.zygote_pid = mine, new_pid
        with self.cond:
            self.gen += 1
            stale = list(self.idle)
            self.idle.clear()
            for worker in stale:
                self.live.discard(worker)
            self.cond.notify_all()
        for worker in stale:
            worker.kill()
        # The old zygote ends without closing its control socket first (that would end its children,
        # the new zygote among them); busy old workers finish their call and are ended on release.
        try:
            os.kill(old_pid, signal.SIGKILL)
            os.waitpid(old_pid, 0)
        except OSError:
            pass
        old_ctrl.close()
        _start_reaper()
        self.release(self._fork())  # a warm worker of the new code for the next call
        return None

    def close(self):
        """Kills every worker and the zygote (shutdown)."""
        with self.cond:
            self.closed = True
            workers = list(self.live)
            self.live.clear()
            self.idle.clear()
            self.cond.notify_all()  # calls waiting for a worker are answered 503
        for worker in workers:
            worker.kill()
        if self.zygote_pid:
            try:
                os.kill(self.zygote_pid, signal.SIGKILL)
            except OSError:
                pass

    def cpu_seconds(self):
        """CPU time of the zygote (with its ended workers) and of the live workers."""
        with self.cond:
            pids = [w.pid for w in self.live]
        total = _cpu_ticks(self.zygote_pid, children=True) + sum(_cpu_ticks(pid) for pid in pids)
        return total / os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid, children=False):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return 0
    # utime and stime are fields 14 and 15 of proc(5), cutime and cstime 16 and 17; [0] here is field 3.
    ticks = int(fields[11]) + int(fields[12])
    return ticks + (int(fields[13]) + int(fields[14]) if children else 0)


_reaper = []


def _start_reaper():
    """After a live update, processes of the old code (its zygote's workers, reparented to this process,
    PID 1 of the container) are reaped here instead of staying zombies."""
    if _reaper:
        return

    def reap():
        while True:
            time.sleep(1)
            try:
                while os.waitpid(-1, os.WNOHANG)[0] > 0:
                    pass
            except ChildProcessError:
                pass

    _reaper.append(threading.Thread(target=reap, daemon=True, name="funcdeck-reaper"))
    _reaper[0].start()
