#!/usr/bin/env bash
# Local images without a registry. `images.sh build` writes OCI archives (cached by content
# version) under $CACHE/images; `images.sh import` loads them into containerd's k8s.io namespace
# and writes $STATE/images.env.
#   pause  : kubernetes' own pause.c of K8S_VERSION, compiled static
#   node   : this machine's node + npm, busybox (sh and tools), glibc libs, CA bundle
#   python : this machine's Debian python3 + stdlib, pip from PyPI, busybox, libs, CA bundle
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGES="$CACHE/images"
ctr_() { # ctr in the k8s.io namespace, without its cgroup v1 deprecation warning on every call
  "$BIN_CONTAINERD/ctr" --address "$RUN/containerd/containerd.sock" -n k8s.io "$@" 2> >(grep -v 'DEPRECATION: The support for cgroup v1' >&2)
}
CTR=(ctr_)

node_version() { node -p 'process.versions.node'; }
python_version() { /usr/bin/python3 -c 'import platform; print(platform.python_version())'; }
python_archive() { echo "python-$(python_version)-pip$PIP_VERSION-manylinux.oci.tar"; }
node_major() { local v; v=$(node_version); echo "${v%%.*}"; }
python_minor() { local v; v=$(python_version); echo "${v%.*}"; }

IMAGE_PAUSE="localhost/funcdeck/pause:$PAUSE_TAG"
IMAGE_COREDNS="localhost/funcdeck/coredns:${COREDNS_VERSION#v}"
image_node() { echo "localhost/funcdeck/node:$(node_major)"; }
image_python() { echo "localhost/funcdeck/python:$(python_minor)"; }

# base_rootfs DIR: merged-/usr layout, busybox as /bin/sh and its applets, /etc basics.
base_rootfs() {
  local r="$1"
  mkdir -p "$r"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64} "$r"/{etc/ssl/certs,tmp,root,proc,sys,dev,run,var/tmp,home}
  ln -s usr/bin "$r/bin"; ln -s usr/sbin "$r/sbin"; ln -s usr/lib "$r/lib"; ln -s usr/lib64 "$r/lib64"
  chmod 1777 "$r/tmp" "$r/var/tmp"
  cp /bin/busybox "$r/usr/bin/busybox"
  local a
  for a in $(/bin/busybox --list); do
    [ -e "$r/usr/bin/$a" ] || ln -s busybox "$r/usr/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nnode:x:1000:1000::/home/node:/bin/sh\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\nnode:x:1000:\n' > "$r/etc/group"
  printf 'hosts: files dns\n' > "$r/etc/nsswitch.conf"
  cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/ca-certificates.crt"
}

# copy_with_libs ROOT FILE...: copies each ELF file's shared libraries (per ldd) into ROOT.
copy_libs() {
  local r="$1"; shift
  local f lib
  for f in "$@"; do
    for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
      [ -e "$r$lib" ] && continue
      mkdir -p "$r$(dirname "$lib")"
      cp -L "$lib" "$r$lib"
    done
  done
}

# oci_archive ROOTFS NAME OUT CONFIG-JSON-FRAGMENT: one-layer OCI image layout, as a tar.
oci_archive() {
  local root="$1" name="$2" out="$3" cfg="$4"
  local t; t=$(mktemp -d "$IMAGES/.oci.XXXXXX")
  mkdir -p "$t/blobs/sha256"
  tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$t/layer.tar" .
  local ld ls; ld=$(sha256sum "$t/layer.tar" | cut -d' ' -f1); ls=$(stat -c %s "$t/layer.tar")
  mv "$t/layer.tar" "$t/blobs/sha256/$ld"
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"funcdeck test/devcluster/images.sh"}]}' \
    "$cfg" "$ld" > "$t/config.json"
  local cd cs; cd=$(sha256sum "$t/config.json" | cut -d' ' -f1); cs=$(stat -c %s "$t/config.json")
  mv "$t/config.json" "$t/blobs/sha256/$cd"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$cd" "$cs" "$ld" "$ls" > "$t/manifest.json"
  local md ms; md=$(sha256sum "$t/manifest.json" | cut -d' ' -f1); ms=$(stat -c %s "$t/manifest.json")
  mv "$t/manifest.json" "$t/blobs/sha256/$md"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$md" "$ms" "$name" "${name##*:}" > "$t/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$t/oci-layout"
  tar -C "$t" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$out.tmp" oci-layout index.json blobs
  mv "$out.tmp" "$out"
  rm -rf "$t"
}

# manylinux_libs ROOT: the system libraries a manylinux wheel may link against (PEP 599/600 policy:
# libpthread, libdl, librt, libutil, libgcc_s, libstdc++, libnsl, libcrypt), as every Debian-based
# python image has them; without them a compiled wheel (MarkupSafe's _speedups) fails to import.
manylinux_libs() {
  local r="$1" lib
  for lib in libpthread.so.0 libdl.so.2 librt.so.1 libutil.so.1 libgcc_s.so.1 libstdc++.so.6 libnsl.so.1 libcrypt.so.1; do
    [ -e "/lib/x86_64-linux-gnu/$lib" ] && [ ! -e "$r/usr/lib/x86_64-linux-gnu/$lib" ] && cp -L "/lib/x86_64-linux-gnu/$lib" "$r/usr/lib/x86_64-linux-gnu/$lib"
  done
  return 0
}

PATH_ENV='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"'

build_pause() {
  local out="$IMAGES/pause-$PAUSE_TAG-$K8S_VERSION.oci.tar"
  [ -s "$out" ] && return 0
  local src
  src="$($GO_BIN env GOMODCACHE)/k8s.io/kubernetes@$K8S_VERSION/build/pause/linux/pause.c"
  [ -f "$src" ] || (cd /tmp && $GO_BIN mod download "k8s.io/kubernetes@$K8S_VERSION")
  local r; r=$(mktemp -d "$IMAGES/.root.XXXXXX")
  mkdir -p "$r"
  gcc -Os -static -DVERSION="v$PAUSE_TAG-funcdeck" -o "$r/pause" "$src"
  strip "$r/pause"
  oci_archive "$r" "$IMAGE_PAUSE" "$out" '{"Entrypoint":["/pause"],"User":"65535:65535"}'
  rm -rf "$r"
}

build_node() {
  local v; v=$(node_version)
  local out="$IMAGES/node-$v.oci.tar"
  [ -s "$out" ] && return 0
  local r; r=$(mktemp -d "$IMAGES/.root.XXXXXX")
  base_rootfs "$r"
  cp "$(readlink -f "$(command -v node)")" "$r/usr/bin/node"
  copy_libs "$r" "$r/usr/bin/node"
  local npmdir; npmdir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  mkdir -p "$r/usr/lib/node_modules"
  cp -a "$npmdir" "$r/usr/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$r/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$r/usr/bin/npx"
  mkdir -p "$r/home/node"
  oci_archive "$r" "$(image_node)" "$out" \
    "{\"Env\":[$PATH_ENV,\"NODE_VERSION=$v\",\"HOME=/root\"],\"Cmd\":[\"node\"],\"WorkingDir\":\"/\"}"
  rm -rf "$r"
}

build_python() {
  local v; v=$(python_version)
  local m; m=$(python_minor)
  local out="$IMAGES/$(python_archive)"
  [ -s "$out" ] && return 0
  local r; r=$(mktemp -d "$IMAGES/.root.XXXXXX")
  base_rootfs "$r"
  cp "$(readlink -f /usr/bin/python3)" "$r/usr/bin/python$m"
  ln -s "python$m" "$r/usr/bin/python3"; ln -s "python$m" "$r/usr/bin/python"
  # the standard library, without its test suite and the distro's "externally managed" marker
  tar -C /usr/lib --exclude="python$m/test" --exclude="python$m/idlelib" --exclude="python$m/tkinter" \
    --exclude='__pycache__' --exclude="python$m/EXTERNALLY-MANAGED" --exclude="python$m/config-*" \
    -cf - "python$m" | tar -C "$r/usr/lib" -xf -
  copy_libs "$r" "$r/usr/bin/python$m" "$r/usr/lib/python$m"/lib-dynload/*.so
  manylinux_libs "$r"
  # pip: the self-contained wheel from PyPI, unpacked where Debian's python looks for packages
  local site="$r/usr/lib/python3/dist-packages" w
  mkdir -p "$site" "$r/usr/local/lib/python$m/dist-packages"
  w=$(mktemp -d)
  /usr/bin/python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$w" "pip==$PIP_VERSION" >&2
  (cd "$site" && /usr/bin/python3 -m zipfile -e "$w"/pip-*.whl .)
  rm -rf "$w"
  for p in pip pip3 "pip$m"; do
    printf '#!/usr/bin/python3\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n' > "$r/usr/bin/$p"
    chmod 755 "$r/usr/bin/$p"
  done
  oci_archive "$r" "$(image_python)" "$out" \
    "{\"Env\":[$PATH_ENV,\"PYTHON_VERSION=$v\",\"HOME=/root\",\"PIP_ROOT_USER_ACTION=ignore\"],\"Cmd\":[\"python3\"],\"WorkingDir\":\"/\"}"
  rm -rf "$r"
}

build_coredns_image() {
  local out="$IMAGES/coredns-$COREDNS_VERSION.oci.tar"
  [ -s "$out" ] && return 0
  [ -x "$BIN_COREDNS/coredns" ] || die "coredns is not built yet: run build.sh coredns"
  local r; r=$(mktemp -d "$IMAGES/.root.XXXXXX")
  mkdir -p "$r/etc/ssl/certs" "$r/tmp"; chmod 1777 "$r/tmp"
  cp "$BIN_COREDNS/coredns" "$r/coredns"
  cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/"
  oci_archive "$r" "$IMAGE_COREDNS" "$out" '{"Entrypoint":["/coredns"],"ExposedPorts":{"53/tcp":{},"53/udp":{}}}'
  rm -rf "$r"
}

build_all() {
  mkdir -p "$IMAGES"
  command -v gcc >/dev/null || die "gcc (with static libc) is needed to build the pause image: apt-get install gcc libc6-dev"
  [ -x /bin/busybox ] || die "busybox is needed for /bin/sh in the images: apt-get install busybox-static"
  command -v node >/dev/null || die "node is needed for the node image"
  [ -x /usr/bin/python3 ] || die "/usr/bin/python3 (Debian's python3) is needed for the python image"
  build_pause; build_node; build_python; build_coredns_image
}

# import_all: load each archive unless containerd already has that image name from that very
# archive (a label names it), so a rebuilt image replaces the old one on a running cluster.
import_all() {
  local name file base
  while read -r name file; do
    base=$(basename "$file")
    if ! "${CTR[@]}" images ls -q "name==$name,labels.\"funcdeck.dev/archive\"==$base" | grep -q .; then
      "${CTR[@]}" images import --platform linux/amd64 "$file" >/dev/null
      "${CTR[@]}" images label "$name" "funcdeck.dev/archive=$base" >/dev/null
    fi
  done <<EOF2
$IMAGE_PAUSE $IMAGES/pause-$PAUSE_TAG-$K8S_VERSION.oci.tar
$(image_node) $IMAGES/node-$(node_version).oci.tar
$(image_python) $IMAGES/$(python_archive)
$IMAGE_COREDNS $IMAGES/coredns-$COREDNS_VERSION.oci.tar
EOF2
  # kubelet must never garbage-collect the sandbox image
  "${CTR[@]}" images label "$IMAGE_PAUSE" io.cri-containerd.pinned=pinned >/dev/null
  write_env
}

write_env() {
  mkdir -p "$STATE"
  cat > "$STATE/images.env" <<EOF2
# Images of the Funcdeck dev cluster, already in containerd (namespace k8s.io); never pulled.
# Use them with imagePullPolicy: IfNotPresent (or Never).
FUNCDECK_IMAGE_NODE=$(image_node)
FUNCDECK_IMAGE_PYTHON=$(image_python)
FUNCDECK_IMAGE_PAUSE=$IMAGE_PAUSE
FUNCDECK_IMAGE_COREDNS=$IMAGE_COREDNS
FUNCDECK_NODE_VERSION=$(node_version)
FUNCDECK_PYTHON_VERSION=$(python_version)
EOF2
}

GO_BIN="${GO:-go}"
case "${1:-}" in
  build) build_all ;;
  import) import_all ;;
  env) write_env; cat "$STATE/images.env" ;;
  *) die "usage: images.sh build|import|env" ;;
esac
