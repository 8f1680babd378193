# Unpacks the function's dependencies at pod start, before the handler is imported. Funcdeck installs
# them on the developer's machine (pip, for this image's Python and platform) and ships them as a
# .tar.gz cut into parts, one per ConfigMap, mounted together at FUNCDECK_DEPS_ARCHIVE (see
# electron/engine/deps/README.md). They are written to FUNCDECK_DEPS_DIR (an emptyDir on sys.path).
# A container restarted in the same pod finds them unpacked already (the marker holds the digest).
import hashlib
import io
import os
import tarfile
import time

MARKER = ".funcdeck-deps"


def unpack_dependencies(env):
    """A line for the log, or None when the function has no dependencies. Raises ValueError with a clear message when the parts do not add up."""
    archive_dir = env.get("FUNCDECK_DEPS_ARCHIVE")
    digest = env.get("FUNCDECK_DEPS_DIGEST")
    deps_dir = env.get("FUNCDECK_DEPS_DIR", "/funcdeck/deps")
    if not archive_dir or not digest:
        return None
    started = time.monotonic()
    try:
        with open(os.path.join(deps_dir, MARKER)) as f:
            if f.read() == digest:
                return "Dependencies %s already unpacked in this pod." % digest[:12]
    except OSError:
        pass
    parts = sorted(n for n in os.listdir(archive_dir) if n.startswith("part-") and n[5:].isdigit())
    chunks = []
    for name in parts:
        with open(os.path.join(archive_dir, name), "rb") as f:
            chunks.append(f.read())
    gz = b"".join(chunks)
    got = hashlib.sha256(gz).hexdigest()
    if got != digest:
        raise ValueError("The dependency archive in the pod does not match the revision (sha256 %s, expected %s; %d part(s)). Deploy again." % (got[:12], digest[:12], len(parts)))
    root = os.path.realpath(deps_dir)
    files = 0
    with tarfile.open(fileobj=io.BytesIO(gz), mode="r:gz") as tar:
        for member in tar:
            if not member.isfile():
                continue  # only regular files are shipped
            target = os.path.realpath(os.path.join(root, member.name))
            if not target.startswith(root + os.sep):
                raise ValueError("the dependency archive holds a path outside its folder: %s" % member.name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            data = tar.extractfile(member).read()
            with open(target, "wb") as out:
                out.write(data)
            os.chmod(target, 0o755 if member.mode & 0o111 else 0o644)
            files += 1
    with open(os.path.join(deps_dir, MARKER), "w") as f:
        f.write(digest)
    return "Dependencies %s unpacked: %d files from %d KB in %d ms." % (digest[:12], files, len(gz) // 1024, (time.monotonic() - started) * 1000)
