#!/usr/bin/env bash
# Lifecycle test of the dev cluster scripts (really starts and stops the cluster; ~3 minutes
# with cached binaries). Leaves the cluster UP at the end. Run as root:
#   bash test/devcluster/lifecycle-test.sh
# Asserts: up twice says "already running"; a killed component shows as failed in status with
# its log path; up recovers from processes killed without down (stale state); down removes
# processes, mounts, interfaces, iptables rules; down twice is harmless; up after down works.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CLUSTER="$DEVCLUSTER_DIR/cluster.sh"
fails=0; passes=0
ok() { passes=$((passes + 1)); echo "  ok   - $*"; }
bad() { fails=$((fails + 1)); echo "  FAIL - $*"; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
OUT=$(mktemp)

run() { # run CMD...: runs cluster.sh with output to $OUT, returns its status
  timeout 900 bash "$CLUSTER" "$@" >"$OUT" 2>&1
}

our_processes() {
  local p exe
  for p in /proc/[0-9]*; do
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    case "$exe" in "$CACHE"/bin/*) echo "${p#/proc/} $exe";; esac
  done
}

other_veths() { # veths that are not on our bridge (e.g. docker's): must be untouched
  ip -o link show type veth 2>/dev/null | grep -v "master $BRIDGE" | awk -F': ' '{print $2}' | sort
}
pod_processes() { # processes in the kubelet's pod cgroups
  find /sys/fs/cgroup/*/kubepods -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u
}

echo "# up (from whatever state)"
run up; rc=$?
check "up succeeds (exit $rc)" test $rc = 0
[ $rc = 0 ] || { cat "$OUT"; exit 1; }

echo "# up again"
run up; rc=$?
check "second up succeeds" test $rc = 0
check "second up says already running" grep -q 'already running' "$OUT"
# How long it takes is the benchmarks' business; here, that it did no step again (no build, no start).
check "second up ran no step" bash -c "! grep -q '^==> ' '$OUT'"
VETHS_BEFORE=$(other_veths)
check "pods run in the pod cgroups" test -n "$(pod_processes)"

echo "# status while running"
run status; rc=$?
check "status exits 0 when running" test $rc = 0
for c in "${COMPONENTS[@]}"; do
  check "status shows $c running" grep -qE "^$c +running " "$OUT"
done

echo "# restart the API server: TERM, then start.sh (what the integration tests' restart helper does)"
pid=$(pid_of kube-apiserver); t0=$SECONDS; kill -TERM "$pid"
for _ in $(seq 1 300); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
check "kube-apiserver exits within 15s of TERM ($((SECONDS - t0))s)" test $((SECONDS - t0)) -lt 15
bash "$DEVCLUSTER_DIR/start.sh" kube-apiserver >"$OUT" 2>&1; rc=$?
check "start.sh kube-apiserver brings it back" test $rc = 0
check "the API server answers again" bash -c ". '$DEVCLUSTER_DIR/lib.sh'; kubectl_ get --raw /readyz >/dev/null"

echo "# kill a component"
pid=$(pid_of kube-scheduler); kill -KILL "$pid"; sleep 1
run status; rc=$?
check "status exits 1 with a failed component" test $rc = 1
check "status shows kube-scheduler failed with its log path" grep -qE "^kube-scheduler +failed +- +$LOGS/kube-scheduler.log$" "$OUT"
check "status still shows kube-apiserver running" grep -qE "^kube-apiserver +running " "$OUT"

echo "# every process killed without down (like a session that ended), then up"
while read -r pid _; do kill -KILL "$pid" 2>/dev/null; done < <(our_processes)
check "pod processes outlive the killed session (as they would)" test -n "$(pod_processes)"
sleep 1
run status; rc=$?
check "status after everything was killed exits 1" test $rc = 1
check "status shows kube-apiserver failed" grep -qE "^kube-apiserver +failed " "$OUT"
run up; rc=$?
check "up after a killed session succeeds" test $rc = 0
[ $rc = 0 ] || sed 's/^/    | /' "$OUT"
grep -q 'clean up what a previous run left' "$OUT" && ok "up cleaned up the stale state" || bad "up did not report cleaning stale state"
run status; check "status running again" test $? = 0

echo "# down"
run down; rc=$?
check "down succeeds" test $rc = 0
check "no process of ours is left" test -z "$(our_processes)"
check "no mount under the state dir is left" test -z "$(awk -v s="$STATE/" 'index($5, s) == 1' /proc/self/mountinfo)"
check "bridge $BRIDGE is gone" bash -c "! ip link show $BRIDGE >/dev/null 2>&1"
check "no veth of ours is left (other veths untouched)" test "$(ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | sort)" = "$VETHS_BEFORE"
check "no pod process is left" test -z "$(pod_processes)"
check "no KUBE-/FUNCDECK- iptables chains left" bash -c "! iptables-save 2>/dev/null | grep -qE '^:(KUBE-|FUNCDECK-)'"
check "no funcdeck-devcluster iptables rules left" bash -c "! iptables-save 2>/dev/null | grep -q funcdeck-devcluster"
run status; rc=$?
check "status exits 3 when stopped" test $rc = 3
check "status shows etcd stopped" grep -qE "^etcd +stopped " "$OUT"

echo "# down again"
run down; rc=$?
check "second down succeeds" test $rc = 0
check "second down says nothing to do" grep -q 'not running' "$OUT"

echo "# up after down"
run up; rc=$?
check "up after down succeeds" test $rc = 0
[ $rc = 0 ] || cat "$OUT"
run status; check "status running at the end" test $? = 0

rm -f "$OUT"
echo "# $passes passed, $fails failed (the cluster is left up)"
[ $fails = 0 ]
