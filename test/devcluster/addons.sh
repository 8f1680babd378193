#!/usr/bin/env bash
# After the control plane and node run: CoreDNS, then the smoke pod `up` waits for.
# Usage: addons.sh coredns|smoke
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CONF="$STATE/config"

wait_until() { # SECONDS DESCRIPTION CHECK...
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { log "    timed out after ${timeout}s waiting for $what"; return 1; }
    sleep 0.5
  done
}

default_sa() { kubectl_ -n default get serviceaccount default; }
coredns_ready() { [ "$(kubectl_ -n kube-system get deployment coredns -o 'jsonpath={.status.readyReplicas}')" -ge 1 ]; }

coredns() {
  kubectl_ apply -f "$CONF/coredns.yaml" >/dev/null
  if ! wait_until 120 "the CoreDNS deployment to be ready" coredns_ready; then
    kubectl_ -n kube-system get pods -o wide >&2 || true
    kubectl_ -n kube-system describe pods -l k8s-app=kube-dns 2>&1 | tail -n 20 >&2 || true
    return 1
  fi
}

smoke_resolved() { kubectl_ -n default logs funcdeck-devcluster-smoke | grep -q '^resolved '; }
smoke_running() { [ "$(kubectl_ -n default get pod funcdeck-devcluster-smoke -o 'jsonpath={.status.phase}')" = Running ]; }

smoke() {
  wait_until 60 "the default service account" default_sa
  kubectl_ -n default delete pod funcdeck-devcluster-smoke --ignore-not-found --grace-period 0 >/dev/null 2>&1 || true
  kubectl_ apply -f "$CONF/smoke-pod.yaml" >/dev/null
  if ! wait_until 60 "the smoke pod to run" smoke_running || ! wait_until 60 "the smoke pod to resolve a Service name through CoreDNS" smoke_resolved; then
    kubectl_ -n default describe pod funcdeck-devcluster-smoke 2>&1 | tail -n 20 >&2 || true
    kubectl_ -n default logs funcdeck-devcluster-smoke >&2 || true
    return 1
  fi
  log "    smoke pod: $(kubectl_ -n default logs funcdeck-devcluster-smoke | grep '^resolved ' | head -n1)"
  kubectl_ -n default delete pod funcdeck-devcluster-smoke --grace-period 0 --wait=false >/dev/null 2>&1 || true
}

case "${1:-}" in
  coredns) coredns ;;
  smoke) smoke ;;
  *) die "usage: addons.sh coredns|smoke" ;;
esac
