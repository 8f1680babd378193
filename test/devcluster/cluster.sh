#!/usr/bin/env bash
# Funcdeck dev cluster: a real single-node Kubernetes on this machine, built from source.
# Usage: cluster.sh up|down|status      (npm run cluster:up / cluster:down / cluster:status)
#        cluster.sh kubectl-path        where the cluster's own kubectl is (for scripts that call it)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage_hint() {
  cat >&2 <<EOF2
The cluster is up. Use it with:
  export KUBECONFIG=$KUBECONFIG_FILE      # context: $CONTEXT (cluster-admin)
  $BIN_K8S/kubectl get nodes
Images (already in containerd, never pulled; use imagePullPolicy IfNotPresent or Never): $STATE/images.env
$(sed -n 's/^\(FUNCDECK_IMAGE_[A-Z]*\)=/  \1=/p' "$STATE/images.env" 2>/dev/null)
EOF2
}

all_running() {
  [ -f "$STATE/up.done" ] || return 1
  local c
  for c in "${COMPONENTS[@]}"; do
    [ "$c" = coredns ] && continue
    pid_of "$c" >/dev/null || return 1
  done
  kubectl_ get --raw /readyz --request-timeout 5s >/dev/null 2>&1
}

leftovers() {
  [ -d "$PIDS" ] || [ -d "$RUN" ] || [ -d "$STATE/etcd" ] || [ -d "$STATE/kubelet" ] || ip link show "$BRIDGE" >/dev/null 2>&1
}

ensure_packages() {
  local missing=() c
  for c in runc iptables conntrack socat ip openssl curl gcc; do command -v "$c" >/dev/null || missing+=("$c"); done
  [ -x /usr/lib/cni/bridge ] || [ -x /opt/cni/bin/bridge ] || missing+=(cni-plugins)
  [ -x /bin/busybox ] || missing+=(busybox)
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "install these first: ${missing[*]}"
    log "    missing: ${missing[*]}; installing Debian packages: $DEBIAN_PACKAGES"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y $DEBIAN_PACKAGES >/dev/null
  fi
  command -v node >/dev/null && command -v npm >/dev/null ||
    die "node and npm are needed (the Node.js image is made from them); install Node.js 20+ first"
  command -v go >/dev/null || [ -x "$BIN_K8S/kubelet" ] || die "Go 1.26+ is needed to build the cluster the first time"
}

pick_port() { # VAR CANDIDATES...
  local var="$1" p; shift
  for p in "$@"; do port_free "$p" && { printf '%s=%s\n' "$var" "$p"; return 0; }; done
  die "none of the ports $* is free for $var"
}

choose_ports() {
  mkdir -p "$STATE"
  {
    echo "# chosen by cluster.sh up"
    pick_port API_PORT "$API_PORT" 6443 16443 26443
    pick_port ETCD_PORT "$ETCD_PORT" 2379 12379 22379
    pick_port ETCD_PEER_PORT "$ETCD_PEER_PORT" 2380 12380 22380
  } > "$CLUSTER_ENV.tmp"
  mv "$CLUSTER_ENV.tmp" "$CLUSTER_ENV"
  . "$CLUSTER_ENV"
  local p
  for p in 10248 10250 10256 10257 10259; do
    port_free "$p" || die "port $p (a kubernetes component's default) is taken on this machine: $(ss -Hltnp "sport = :$p")"
  done
}

up() {
  local t0=$SECONDS
  if all_running; then
    # running, but `up` still promises a Ready node and a ready CoreDNS (both can lag briefly,
    # e.g. after an API server restart)
    local deadline=$((SECONDS + 90))
    until [ "$(kubectl_ get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ] &&
          [ "$(kubectl_ -n kube-system get deployment coredns -o 'jsonpath={.status.readyReplicas}' 2>/dev/null)" = 1 ]; do
      [ $SECONDS -lt $deadline ] || die "the cluster runs, but the node or CoreDNS has not been ready for 90s; see: bash $DEVCLUSTER_DIR/cluster.sh status"
      sleep 1
    done
    log "Funcdeck dev cluster already running (API https://127.0.0.1:$API_PORT)."
    usage_hint; return 0
  fi
  if leftovers; then step "clean up what a previous run left" bash "$DEVCLUSTER_DIR/stop.sh"; fi
  step "check host packages" ensure_packages
  step "build binaries (cached by version in $CACHE/bin)" bash "$DEVCLUSTER_DIR/build.sh" all
  step "build images (cached in $CACHE/images)" bash "$DEVCLUSTER_DIR/images.sh" build
  step "choose ports" choose_ports
  step "certificates and kubeconfigs" bash "$DEVCLUSTER_DIR/certs.sh"
  step "host network (bridge $BRIDGE, $POD_CIDR, services $SERVICE_CIDR)" bash "$DEVCLUSTER_DIR/network.sh" setup
  bash "$DEVCLUSTER_DIR/images.sh" env >/dev/null
  step "configuration" bash "$DEVCLUSTER_DIR/config.sh"
  step "start containerd $CONTAINERD_VERSION" bash "$DEVCLUSTER_DIR/start.sh" containerd
  step "import images into containerd (namespace k8s.io)" bash "$DEVCLUSTER_DIR/images.sh" import
  local c
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    step "start $c$([ "$c" = kubelet ] && echo ' and wait for the node to be Ready')" bash "$DEVCLUSTER_DIR/start.sh" "$c"
  done
  step "CoreDNS $COREDNS_VERSION (Deployment in kube-system, Service $DNS_IP)" bash "$DEVCLUSTER_DIR/addons.sh" coredns
  step "smoke pod from the local node image, resolving a Service name" bash "$DEVCLUSTER_DIR/addons.sh" smoke
  touch "$STATE/up.done"
  log "Funcdeck dev cluster is up (Kubernetes $K8S_VERSION) in $((SECONDS - t0))s."
  usage_hint
}

down() {
  if ! leftovers; then log "Funcdeck dev cluster is not running; nothing to do."; return 0; fi
  step "stop the dev cluster and remove its processes, containers, mounts, network and state" bash "$DEVCLUSTER_DIR/stop.sh"
  log "Funcdeck dev cluster is down (kept: $CACHE/bin, $CACHE/images, $STATE/pki, logs in $LOGS)."
}

lock_holders() {
  local p out=""
  for p in /proc/[0-9]*; do
    [ "$p" = "/proc/$$" ] && continue
    if ls -l "$p/fd" 2>/dev/null | grep -q "$CACHE/devcluster.lock"; then
      out+=" ${p#/proc/} ($(tr '\0' ' ' < "$p/cmdline" | cut -c1-80))"
    fi
  done
  echo "${out:- nobody}"
}

main() {
  local cmd="${1:-}"
  # The path rule lives here only; it needs neither root nor the lock.
  if [ "$cmd" = kubectl-path ]; then echo "$BIN_K8S/kubectl"; return 0; fi
  case "$cmd" in up|down|status) ;; *) die "usage: cluster.sh up|down|status|kubectl-path";; esac
  require_linux_root
  if [ "$cmd" = status ]; then exec bash "$DEVCLUSTER_DIR/status.sh"; fi
  mkdir -p "$CACHE"
  exec 9>"$CACHE/devcluster.lock"
  if ! flock -w 5 9; then
    log "waiting for the lock $CACHE/devcluster.lock, held by: $(lock_holders)"
    flock -w 900 9 || die "the lock $CACHE/devcluster.lock is still held by: $(lock_holders)"
  fi
  "$cmd"
}
main "$@"
