# Live update (electron/engine/live): Funcdeck pushes saved code into the running pod through the API
# server (pod exec with the user's credentials; no port is opened): the exec'd shell writes a request
# into FUNCDECK_LIVE_DIR/inbox and sends this process SIGUSR2. Each request names the files that
# changed (with their text) and the ones to keep from the code running now; the code is composed in
# a new folder and a new zygote imports it (funcdeck_pool.Pool.reload); calls move to it once it has.
# The answer goes back as <id>.ack beside the request. At start the folder is emptied: a restarted
# container runs its revision's code.
import json
import os
import shutil
import signal
import threading
import time


def install(pool, log, env, src_dir):
    """Call from the main thread (it sets a signal handler), after the pool has started."""
    live_dir = env.get("FUNCDECK_LIVE_DIR")
    if not live_dir:
        return
    inbox = os.path.join(live_dir, "inbox")
    try:
        for name in os.listdir(live_dir):
            path = os.path.join(live_dir, name)
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
        os.makedirs(inbox, exist_ok=True)
    except OSError as e:
        log("Live update is off in this pod: %s" % e)
        return
    state = {"generation": 0, "current": src_dir}
    wake = threading.Event()

    def ack(req_id, answer):
        path = os.path.join(inbox, req_id + ".ack")
        with open(path + ".tmp", "w") as f:
            json.dump(answer, f)
        os.rename(path + ".tmp", path)  # whole or not at all: the shell waits for this name

    def inside(root, rel):
        target = os.path.realpath(os.path.join(root, rel))
        if not target.startswith(os.path.realpath(root) + os.sep):
            raise ValueError("refused path %s" % rel)
        return target

    def apply(req_id):
        started = time.monotonic()
        path = os.path.join(inbox, req_id + ".json")
        try:
            with open(path) as f:
                req = json.load(f)
        finally:
            os.remove(path)
        gen = state["generation"]
        if not req.get("full") and req.get("base") != gen:
            return ack(req_id, {"ok": False, "stale": True, "generation": gen})
        nxt = os.path.join(live_dir, "g%d" % (gen + 1))
        shutil.rmtree(nxt, ignore_errors=True)
        os.makedirs(nxt)
        try:
            for rel in req.get("keep") or []:
                target = inside(nxt, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(os.path.join(state["current"], rel), "rb") as src, open(target, "wb") as out:
                    out.write(src.read())
            for f in req.get("files") or []:
                target = inside(nxt, f["path"])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w", encoding="utf-8") as out:
                    out.write(f["content"])
        except (OSError, ValueError) as e:
            shutil.rmtree(nxt, ignore_errors=True)
            # A file to keep that is not here: this pod's code is not what Funcdeck thinks; it sends everything.
            return ack(req_id, {"ok": False, "stale": True, "generation": gen, "error": str(e)})
        error = pool.reload(nxt)
        ms = (time.monotonic() - started) * 1000
        if error is not None:
            shutil.rmtree(nxt, ignore_errors=True)
            log("Live update %d not applied: %s" % (gen + 1, error))
            return ack(req_id, {"ok": False, "generation": gen, "error": error, "ms": ms})
        old = state["current"]
        state["current"], state["generation"] = nxt, gen + 1
        if old.startswith(live_dir + os.sep):
            shutil.rmtree(old, ignore_errors=True)
        log("Live update %d applied in %d ms: %d file(s) changed; this pod now runs code that is not revision %s." % (gen + 1, ms, len(req.get("files") or []), env.get("FUNCDECK_REVISION", "?")))
        ack(req_id, {"ok": True, "generation": gen + 1, "ms": ms})

    def loop():
        while True:
            wake.wait()
            wake.clear()
            for name in sorted(os.listdir(inbox)):
                if not name.endswith(".json"):
                    continue
                req_id = name[:-5]
                try:
                    apply(req_id)
                except Exception as e:  # noqa: BLE001 - every request gets an answer
                    ack(req_id, {"ok": False, "generation": state["generation"], "error": str(e)})

    threading.Thread(target=loop, daemon=True, name="funcdeck-live").start()
    signal.signal(signal.SIGUSR2, lambda signum, frame: wake.set())
