#!/usr/bin/env bash
# Stops everything `up` started and removes what it set up: processes, containers and their
# shims, mounts, pod network namespaces, cgroups, interfaces, iptables rules, runtime state.
# Safe to run twice, and safe after the processes were killed without a `down`.
# Keeps: the binaries/images cache, $STATE/pki and the kubeconfig (so it stays valid), logs.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# stop_pid PID: TERM, then KILL after a grace period
stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do [ -d "/proc/$pid" ] || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  for i in $(seq 1 25); do [ -d "/proc/$pid" ] || return 0; sleep 0.2; done
}

# pids_with_exe PATH: every process running exactly this binary (ours: it lives in our cache)
pids_with_exe() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/exe" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
  done
  return 0
}

stop_components() {
  local i name pid
  for ((i=${#COMPONENTS[@]}-1; i>=0; i--)); do
    name="${COMPONENTS[$i]}"
    [ "$name" = coredns ] && continue   # a pod: goes with the containers below
    if pid=$(pid_of "$name"); then stop_pid "$pid"; fi
    # also any stray copy of our binary (e.g. from a session whose pid files were lost)
    for pid in $(pids_with_exe "$(binary "$name")"); do stop_pid "$pid"; done
    rm -f "$PIDS/$name.pid"
  done
}

# containers: ask runc (its state is under $RUN/runc) to kill and delete each, then the shims
remove_containers() {
  local root id pid
  if [ -d "$RUN/runc" ]; then
    for root in "$RUN"/runc/*; do
      [ -d "$root" ] || continue
      for id in $(runc --root "$root" list -q 2>/dev/null); do
        runc --root "$root" kill "$id" KILL >/dev/null 2>&1 || true
        runc --root "$root" delete --force "$id" >/dev/null 2>&1 || true
      done
    done
  fi
  for pid in $(pids_with_exe "$BIN_CONTAINERD/containerd-shim-runc-v2"); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  # whatever is still in the pod cgroups (cgroupfs driver: /kubepods in every v1 hierarchy)
  local d procs
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/unified/kubepods /sys/fs/cgroup/kubepods; do
    [ -d "$d" ] || continue
    procs=$(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)
    [ -n "$procs" ] && kill -KILL $procs 2>/dev/null
  done
  sleep 0.3
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/unified/kubepods /sys/fs/cgroup/kubepods; do
    [ -d "$d" ] || continue
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  return 0
}

# every mount below the state dir (container rootfs, pod volumes, netns bind mounts), deepest first
unmount_all() {
  local pass m
  for pass in 1 2 3; do
    mapfile -t mounts < <(awk -v s="$STATE/" 'index($5, s) == 1 {print $5}' /proc/self/mountinfo | awk '{print length, $0}' | sort -rn | cut -d' ' -f2-)
    [ ${#mounts[@]} -eq 0 ] && return 0
    for m in "${mounts[@]}"; do
      m=$(printf '%b' "$m")   # mountinfo escapes spaces as \040
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
  done
}

main() {
  [ -d "$STATE" ] || return 0
  stop_components
  remove_containers
  unmount_all
  bash "$DEVCLUSTER_DIR/network.sh" teardown
  rm -rf "$STATE/etcd" "$STATE/containerd" "$STATE/kubelet" "$RUN" "$STATE/cni/ipam" "$STATE/pod-logs" "$PIDS"
  rm -f "$STATE/up.done"
}
main "$@"
