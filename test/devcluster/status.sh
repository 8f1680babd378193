#!/usr/bin/env bash
# Lists each component with running / failed / stopped and the path of its log.
#   running: its process is alive (coredns: its Deployment has a ready pod)
#   failed : `up` started it (pid file present) but the process is gone, or coredns is not ready
#   stopped: not started (never, or after `down`)
# Exit status: 0 if everything runs, 1 if anything failed, 3 if the cluster is stopped.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

component_state() {
  local name="$1"
  if [ "$name" = coredns ]; then
    if [ ! -f "$STATE/up.done" ] && ! pid_of kube-apiserver >/dev/null; then echo stopped; return; fi
    local ready
    ready=$(kubectl_ -n kube-system get deployment coredns -o 'jsonpath={.status.readyReplicas}' --request-timeout 5s 2>/dev/null)
    if [ "${ready:-0}" -ge 1 ] 2>/dev/null; then echo running; else echo failed; fi
    return
  fi
  if pid_of "$name" >/dev/null; then echo running
  elif [ -f "$PIDS/$name.pid" ]; then echo failed
  else echo stopped
  fi
}

component_log() {
  if [ "$1" = coredns ]; then
    local f; f=$(ls -d "$STATE"/pod-logs/kube-system_coredns-*/coredns 2>/dev/null | head -n1)
    echo "${f:-$STATE/pod-logs/kube-system_coredns-*/coredns}/*.log"
  else
    echo "$LOGS/$1.log"
  fi
}

main() {
  local name state any_failed=0 any_running=0
  printf '%-24s %-8s %-8s %s\n' COMPONENT STATE PID LOG
  for name in "${COMPONENTS[@]}"; do
    state=$(component_state "$name")
    local pid; pid=$(pid_of "$name" 2>/dev/null || echo -)
    printf '%-24s %-8s %-8s %s\n' "$name" "$state" "$pid" "$(component_log "$name")"
    case "$state" in failed) any_failed=1;; running) any_running=1;; esac
  done
  echo
  if [ $any_failed = 1 ]; then
    echo "cluster: FAILED (run: bash test/devcluster/cluster.sh up  to clean up and start again)"
    return 1
  elif [ $any_running = 1 ]; then
    echo "cluster: running   API https://127.0.0.1:$API_PORT"
    echo "  KUBECONFIG=$KUBECONFIG_FILE kubectl --context $CONTEXT get nodes"
    echo "  images: $STATE/images.env"
    return 0
  else
    echo "cluster: stopped"
    return 3
  fi
}
main "$@"
