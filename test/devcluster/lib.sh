# Shared settings and helpers for the dev cluster scripts. Sourced, never run.
# shellcheck shell=bash
DEVCLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$DEVCLUSTER_DIR/versions.env"

CACHE="${FUNCDECK_CACHE:-$HOME/.cache/funcdeck}"
STATE="$CACHE/devcluster"          # everything of one running cluster
BIN_K8S="$CACHE/bin/kubernetes-$K8S_VERSION"
BIN_ETCD="$CACHE/bin/etcd-$ETCD_VERSION"
BIN_COREDNS="$CACHE/bin/coredns-$COREDNS_VERSION"
BIN_CONTAINERD="$CACHE/bin/containerd-$CONTAINERD_VERSION"
SRC="$CACHE/src"                   # generated Go modules used for building
LOGS="$STATE/logs"
PIDS="$STATE/pids"
RUN="$STATE/run"                   # sockets, containerd state
KUBECONFIG_FILE="$STATE/kubeconfig"
CONTEXT=funcdeck-dev
NODE_NAME=funcdeck-dev

# Address ranges: nothing on this machine uses 10.244/16 or 10.96/16 (checked in preflight).
POD_CIDR="${FUNCDECK_POD_CIDR:-10.244.0.0/24}"
SERVICE_CIDR="${FUNCDECK_SERVICE_CIDR:-10.96.0.0/16}"
KUBERNETES_SVC_IP="${SERVICE_CIDR%%.0.0/*}.0.1"
DNS_IP="${SERVICE_CIDR%%.0.0/*}.0.10"
CLUSTER_DOMAIN=cluster.local
BRIDGE=funcdeck0
# The bridge's own address (first address of the pod range): the API server advertises it, the
# kubelet uses it as the node IP, so nothing depends on the host's changeable eth0 address.
API_ADVERTISE_IP="${POD_CIDR%.*/*}.1"
CNI_NETWORK=funcdeck

# Component order matters for start (forward) and stop (reverse).
COMPONENTS=(containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns)

log() { printf '%s\n' "$*" >&2; }
die() { printf 'devcluster: %s\n' "$*" >&2; exit 1; }

# step "description" command...: runs one step and prints how long it took.
step() {
  local desc="$1"; shift
  local t0=$SECONDS
  printf '==> %s ...\n' "$desc" >&2
  if "$@"; then
    printf '    %s: done in %ss\n' "$desc" "$((SECONDS - t0))" >&2
  else
    local rc=$?
    printf '    %s: FAILED after %ss (exit %s)\n' "$desc" "$((SECONDS - t0))" "$rc" >&2
    return "$rc"
  fi
}

require_linux_root() {
  if [ "$(uname -s)" != Linux ]; then
    die "the Funcdeck dev cluster runs on Linux only. On $(uname -s), use kind (https://kind.sigs.k8s.io) or minikube and set FUNCDECK_TEST_CONTEXT."
  fi
  if [ "$(id -u)" != 0 ]; then
    die "the Funcdeck dev cluster needs root (it runs containerd and the kubelet). Run as root, or use kind or minikube and set FUNCDECK_TEST_CONTEXT."
  fi
}

kubectl_() { "$BIN_K8S/kubectl" --kubeconfig "$KUBECONFIG_FILE" --context "$CONTEXT" "$@"; }

# Ports chosen at `up` (first free candidate) are recorded here for status and the kubeconfig.
CLUSTER_ENV="$STATE/cluster.env"
API_PORT=6443; ETCD_PORT=2379; ETCD_PEER_PORT=2380
# shellcheck disable=SC1090
[ -f "$CLUSTER_ENV" ] && . "$CLUSTER_ENV"

port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }
node_ip() { echo "$API_ADVERTISE_IP"; }

# binary NAME: where a component's binary lives
binary() {
  case "$1" in
    containerd) echo "$BIN_CONTAINERD/containerd" ;;
    etcd) echo "$BIN_ETCD/etcd" ;;
    coredns) echo "$BIN_COREDNS/coredns" ;;
    *) echo "$BIN_K8S/$1" ;;
  esac
}

# pid_of NAME: the pid from NAME's pid file if that process is alive and is really NAME.
pid_of() {
  local f="$PIDS/$1.pid" pid
  [ -s "$f" ] || return 1
  pid=$(cat "$f")
  [ -d "/proc/$pid" ] || return 1
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(binary "$1")" ] || return 1
  echo "$pid"
}
