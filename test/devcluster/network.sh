#!/usr/bin/env bash
# Host networking of the dev cluster. `network.sh setup` checks the address ranges, makes the
# bridge, sets the two sysctls pods need, and adds Funcdeck's own iptables chains: pods may reach
# each other, Services and the host, and the machine's DNS resolver (masqueraded, so CoreDNS can
# forward) — nothing else outside. `network.sh teardown` removes all of that again, including
# what kube-proxy and the CNI plugins left behind.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SYSCTL_SAVE="$STATE/sysctl.orig"
SYSCTLS=(net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables)

ip2int() { local IFS=.; set -- $1; echo $(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 )); }
# overlaps A/n B/m
overlaps() {
  local a=${1%/*} an=${1#*/} b=${2%/*} bn=${2#*/}
  [ "$an" = "$1" ] && an=32; [ "$bn" = "$2" ] && bn=32
  local n=$(( an < bn ? an : bn ))
  local mask=$(( n == 0 ? 0 : (0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF ))
  [ $(( $(ip2int "$a") & mask )) = $(( $(ip2int "$b") & mask )) ]
}

resolvers() { awk '/^nameserver/ && $2 ~ /^[0-9.]+$/ {print $2}' /etc/resolv.conf; }

check_ranges() {
  local r dst
  for dst in $(ip -4 route show table all | awk '$1 != "default" && $1 != "broadcast" && $1 != "local" {print $1} $1 == "local" || $1 == "broadcast" {print $2}' | sort -u); do
    case "$dst" in 127.*) continue;; esac
    ip -4 route show table all | grep -q "^$dst.* dev $BRIDGE" && continue
    ip -4 route show table all | grep -qE "^(local|broadcast) $dst .*dev $BRIDGE" && continue
    for r in "$POD_CIDR" "$SERVICE_CIDR"; do
      overlaps "$dst" "$r" && die "address range $r overlaps $dst on this machine (set FUNCDECK_POD_CIDR / FUNCDECK_SERVICE_CIDR)"
    done
  done
  for dst in $(resolvers); do
    for r in "$POD_CIDR" "$SERVICE_CIDR"; do
      overlaps "$dst/32" "$r" && die "address range $r holds the resolver $dst"
    done
  done
  return 0
}

ipt() { iptables -w 5 "$@"; }

setup() {
  check_ranges
  mkdir -p "$STATE"
  if [ ! -f "$SYSCTL_SAVE" ]; then
    local s; for s in "${SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")"; done > "$SYSCTL_SAVE"
  fi
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  ip addr replace "$API_ADVERTISE_IP/${POD_CIDR#*/}" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # filter: pod traffic leaving the pod network may only go to the resolver's port 53
  ipt -N FUNCDECK-FORWARD 2>/dev/null || ipt -F FUNCDECK-FORWARD
  ipt -A FUNCDECK-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  local ns
  for ns in $(resolvers); do
    ipt -A FUNCDECK-FORWARD -d "$ns" -p udp --dport 53 -j ACCEPT
    ipt -A FUNCDECK-FORWARD -d "$ns" -p tcp --dport 53 -j ACCEPT
  done
  ipt -A FUNCDECK-FORWARD -j REJECT
  ipt -C FORWARD -s "$POD_CIDR" ! -o "$BRIDGE" -m comment --comment funcdeck-devcluster -j FUNCDECK-FORWARD 2>/dev/null ||
    ipt -I FORWARD 1 -s "$POD_CIDR" ! -o "$BRIDGE" -m comment --comment funcdeck-devcluster -j FUNCDECK-FORWARD
  # bridge traffic between pods and to the gateway is allowed even if FORWARD's policy is DROP
  ipt -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -m comment --comment funcdeck-devcluster -j ACCEPT 2>/dev/null ||
    ipt -I FORWARD 1 -i "$BRIDGE" -o "$BRIDGE" -m comment --comment funcdeck-devcluster -j ACCEPT
  # nat: only DNS to the resolver is masqueraded
  ipt -t nat -N FUNCDECK-POSTROUTING 2>/dev/null || ipt -t nat -F FUNCDECK-POSTROUTING
  for ns in $(resolvers); do
    case "$ns" in 127.*) continue;; esac
    ipt -t nat -A FUNCDECK-POSTROUTING -d "$ns" -p udp --dport 53 -j MASQUERADE
    ipt -t nat -A FUNCDECK-POSTROUTING -d "$ns" -p tcp --dport 53 -j MASQUERADE
  done
  ipt -t nat -C POSTROUTING -s "$POD_CIDR" ! -o "$BRIDGE" -m comment --comment funcdeck-devcluster -j FUNCDECK-POSTROUTING 2>/dev/null ||
    ipt -t nat -I POSTROUTING 1 -s "$POD_CIDR" ! -o "$BRIDGE" -m comment --comment funcdeck-devcluster -j FUNCDECK-POSTROUTING
}

# delete_rules TABLE PATTERN: deletes every rule (in any chain) whose spec matches PATTERN
delete_rules() {
  local table="$1" pat="$2" rule
  while read -r rule; do
    [ -n "$rule" ] || continue
    eval "ipt -t $table ${rule/-A /-D }" 2>/dev/null || true
  done < <(ipt -t "$table" -S 2>/dev/null | grep -E -- "^-A " | grep -E -- "$pat" || true)
}

teardown() {
  # our own chains
  delete_rules filter 'funcdeck-devcluster'
  delete_rules nat 'funcdeck-devcluster'
  ipt -F FUNCDECK-FORWARD 2>/dev/null && ipt -X FUNCDECK-FORWARD 2>/dev/null || true
  ipt -t nat -F FUNCDECK-POSTROUTING 2>/dev/null && ipt -t nat -X FUNCDECK-POSTROUTING 2>/dev/null || true
  # kube-proxy's chains (it knows how to remove them all)
  if [ -x "$BIN_K8S/kube-proxy" ] && ipt -t nat -S 2>/dev/null | grep -q 'KUBE-'; then
    "$BIN_K8S/kube-proxy" --cleanup >/dev/null 2>&1 || true
  fi
  # what the kubelet adds (KUBE-FIREWALL, canaries, hint) and anything kube-proxy left, v4 and v6
  local cmd tbl ch
  for cmd in iptables ip6tables iptables ip6tables; do   # twice: chains referenced in pass 1 go in pass 2
    command -v "$cmd" >/dev/null || continue
    for tbl in filter nat mangle; do
      while read -r rule; do
        [ -n "$rule" ] && eval "$cmd -w 5 -t $tbl ${rule/-A /-D }" 2>/dev/null || true
      done < <($cmd -w 5 -t "$tbl" -S 2>/dev/null | grep -E -- '^-A [A-Z]+ .*-j KUBE-' | grep -vE '^-A KUBE-' || true)
      for ch in $($cmd -w 5 -t "$tbl" -S 2>/dev/null | awk '/^-N KUBE-/{print $2}'); do
        $cmd -w 5 -t "$tbl" -F "$ch" 2>/dev/null || true
      done
      for ch in $($cmd -w 5 -t "$tbl" -S 2>/dev/null | awk '/^-N KUBE-/{print $2}'); do
        $cmd -w 5 -t "$tbl" -X "$ch" 2>/dev/null || true
      done
    done
  done
  # portmap's per-sandbox chains for our network
  local t c
  for t in nat filter; do
    for c in $(ipt -t "$t" -S 2>/dev/null | awk '/^-N CNI-/{print $2}'); do
      if ipt -t "$t" -S "$c" 2>/dev/null | grep -q "name: \\\\\"$CNI_NETWORK\\\\\"\|$POD_CIDR"; then
        delete_rules "$t" "-j $c( |$)"
        ipt -t "$t" -F "$c" 2>/dev/null || true
        ipt -t "$t" -X "$c" 2>/dev/null || true
      fi
    done
  done
  # interfaces: the veths of our pods and the bridge
  local l
  for l in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link del "$l" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  # libcni's cache of results for our network
  rm -rf /var/lib/cni/results/"$CNI_NETWORK"-* /var/lib/cni/networks/"$CNI_NETWORK" 2>/dev/null || true
  # sysctls back as they were
  if [ -f "$SYSCTL_SAVE" ]; then
    local kv; while read -r kv; do sysctl -qw "$kv" 2>/dev/null || true; done < "$SYSCTL_SAVE"
    rm -f "$SYSCTL_SAVE"
  fi
}

case "${1:-}" in
  setup) setup ;;
  teardown) teardown ;;
  check) check_ranges ;;
  *) die "usage: network.sh setup|teardown|check" ;;
esac
