#!/usr/bin/env bash
# Starts one component of the dev cluster in the background and waits until it is healthy.
# Usage: start.sh COMPONENT. Logs go to $LOGS/COMPONENT.log, the pid to $PIDS/COMPONENT.pid.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKI="$STATE/pki"
CONF="$STATE/config"
KCS="$STATE/kubeconfigs"

# launch NAME ARGS...: starts the binary of NAME detached from this shell
launch() {
  local name="$1"; shift
  mkdir -p "$LOGS" "$PIDS"
  : > "$LOGS/$name.log"
  local bin; bin="$(binary "$name")"
  (
    # hand no inherited descriptor (e.g. a caller's flock on devcluster.lock) to a long-lived process
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"; [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done
    exec setsid "$bin" "$@" >>"$LOGS/$name.log" 2>&1 </dev/null
  ) &
  echo $! > "$PIDS/$name.pid"
}

# wait_for NAME SECONDS CHECK...: polls CHECK until it succeeds; fails early if NAME died
wait_for() {
  local name="$1" timeout="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  while ! "$@" >/dev/null 2>&1; do
    if ! pid_of "$name" >/dev/null; then
      log "    $name exited; last lines of $LOGS/$name.log:"; tail -n 15 "$LOGS/$name.log" >&2; return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      log "    $name not healthy after ${timeout}s; last lines of $LOGS/$name.log:"; tail -n 15 "$LOGS/$name.log" >&2; return 1
    fi
    sleep 0.5
  done
}

http_ok() { curl -fsS --max-time 2 "$@"; }

start_containerd() {
  mkdir -p "$RUN/containerd" "$RUN/runc"
  # our shim first: Debian's containerd package puts an older shim into /usr/bin
  PATH="$BIN_CONTAINERD:$PATH" launch containerd --config "$CONF/containerd.toml"
  wait_for containerd 30 "$BIN_CONTAINERD/ctr" --address "$RUN/containerd/containerd.sock" version
}

start_etcd() {
  launch etcd --name funcdeck-dev --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "funcdeck-dev=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" \
    --unsafe-no-fsync --quota-backend-bytes 2147483648 --log-level warn
  wait_for etcd 30 http_ok "http://127.0.0.1:$ETCD_PORT/health"
}

start_kube-apiserver() {
  launch kube-apiserver \
    --advertise-address "$API_ADVERTISE_IP" --bind-address 0.0.0.0 --secure-port "$API_PORT" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction \
    --allow-privileged=true \
    --client-ca-file "$PKI/ca.crt" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --kubelet-certificate-authority "$PKI/ca.crt" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=true \
    --endpoint-reconciler-type lease \
    --shutdown-send-retry-after=true \
    --v 1
  wait_for kube-apiserver 90 kubectl_ get --raw /readyz
}

start_kube-controller-manager() {
  launch kube-controller-manager \
    --kubeconfig "$KCS/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$KCS/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$KCS/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" \
    --client-ca-file "$PKI/ca.crt" \
    --service-cluster-ip-range "$SERVICE_CIDR" --allocate-node-cidrs=false \
    --controllers '*,bootstrapsigner,tokencleaner' \
    --v 1
  wait_for kube-controller-manager 60 curl -fsSk --max-time 2 https://127.0.0.1:10257/healthz
}

start_kube-scheduler() {
  launch kube-scheduler \
    --kubeconfig "$KCS/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$KCS/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$KCS/kube-scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --v 1
  wait_for kube-scheduler 60 curl -fsSk --max-time 2 https://127.0.0.1:10259/healthz
}

node_ready() {
  [ "$(kubectl_ get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

start_kubelet() {
  mkdir -p "$STATE/kubelet" "$STATE/pod-logs"
  launch kubelet \
    --config "$CONF/kubelet.yaml" \
    --kubeconfig "$KCS/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" \
    --cert-dir "$STATE/kubelet/pki" \
    --hostname-override "$NODE_NAME" \
    --node-ip "$API_ADVERTISE_IP" \
    --v 1
  wait_for kubelet 60 http_ok http://127.0.0.1:10248/healthz
  wait_for kubelet 90 node_ready
}

start_kube-proxy() {
  launch kube-proxy --config "$CONF/kube-proxy.yaml" --v 1
  wait_for kube-proxy 60 http_ok http://127.0.0.1:10256/healthz
}

# healthy NAME: the same check start_NAME waits for (node readiness aside)
healthy() {
  case "$1" in
    containerd) "$BIN_CONTAINERD/ctr" --address "$RUN/containerd/containerd.sock" version ;;
    etcd) http_ok "http://127.0.0.1:$ETCD_PORT/health" ;;
    kube-apiserver) kubectl_ get --raw /readyz --request-timeout 5s ;;
    kube-controller-manager) curl -fsSk --max-time 2 https://127.0.0.1:10257/healthz ;;
    kube-scheduler) curl -fsSk --max-time 2 https://127.0.0.1:10259/healthz ;;
    kubelet) http_ok http://127.0.0.1:10248/healthz ;;
    kube-proxy) http_ok http://127.0.0.1:10256/healthz ;;
  esac >/dev/null 2>&1
}

name="${1:-}"
case "$name" in
  containerd|etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kubelet|kube-proxy)
    if pid=$(pid_of "$name"); then
      if healthy "$name"; then log "    $name already running"; exit 0; fi
      # alive but not serving (e.g. still in a graceful shutdown after a TERM): replace it
      log "    $name (pid $pid) is not healthy; stopping it to start a new one"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    fi
    "start_$name" ;;
  *) die "usage: start.sh COMPONENT (one of ${COMPONENTS[*]})" ;;
esac
