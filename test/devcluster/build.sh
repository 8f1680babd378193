#!/usr/bin/env bash
# Builds (once per version) every binary of the dev cluster with `go build`, into
# $CACHE/bin/<component>-<version>/. Usage: build.sh [all|kubernetes|etcd|coredns|containerd]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GO="${GO:-go}"
export CGO_ENABLED=0 GOFLAGS="-mod=mod -trimpath" GOTOOLCHAIN=local
LDFLAGS_BASE='-s -w'

# make_module DIR MODULE-PATH "require lines" "replace lines" "import paths..."
make_module() {
  local dir="$1" modpath="$2" requires="$3" replaces="$4"; shift 4
  mkdir -p "$dir"
  {
    echo "module $modpath"
    echo
    echo "go $($GO env GOVERSION | sed 's/^go//; s/^\([0-9]*\.[0-9]*\).*/\1/').0"
    echo
    echo "require ("; printf '%s\n' "$requires"; echo ")"
    if [ -n "$replaces" ]; then echo "replace ("; printf '%s\n' "$replaces"; echo ")"; fi
  } > "$dir/go.mod"
  {
    echo '//go:build tools'
    echo
    echo '// Package tools only pins the main packages we build.'
    echo 'package tools'
    echo
    echo 'import ('
    local p; for p in "$@"; do echo "	_ \"$p\""; done
    echo ')'
  } > "$dir/tools.go"
  (cd "$dir" && $GO mod tidy)
}

build_kubernetes() {
  local out="$BIN_K8S"
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
  local missing=0 c
  for c in "${cmds[@]}"; do [ -x "$out/$c" ] || missing=1; done
  if [ $missing = 0 ]; then log "    kubernetes $K8S_VERSION: cached in $out"; return 0; fi
  local dir="$SRC/kubernetes-$K8S_VERSION"
  local replaces="" m
  # the k8s.io/* staging modules are required as v0.0.0 by k8s.io/kubernetes: list them from its go.mod
  local gomodfile
  gomodfile=$($GO mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  for m in $(awk '/^replace \(/{r=1;next} r&&/^\)/{r=0} r&&/=> \.\/staging/{print $1}' "$gomodfile"); do
    case "$m" in k8s.io/sample-*) continue;; esac
    replaces+="	$m => $m $K8S_STAGING_VERSION"$'\n'
  done
  local pkgs=()
  for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  make_module "$dir" funcdeck.dev/devcluster/kubernetes "	k8s.io/kubernetes $K8S_VERSION" "$replaces" "${pkgs[@]}"
  local v="${K8S_VERSION#v}" ld="$LDFLAGS_BASE" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=${v%%.*} -X $p.gitMinor=$(echo "$v" | cut -d. -f2)"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  mkdir -p "$out.tmp"
  (cd "$dir" && $GO build -ldflags "$ld" -o "$out.tmp/" "${pkgs[@]}")
  rm -rf "$out"; mv "$out.tmp" "$out"
}

build_etcd() {
  if [ -x "$BIN_ETCD/etcd" ]; then log "    etcd $ETCD_VERSION: cached in $BIN_ETCD"; return 0; fi
  local dir="$SRC/etcd-$ETCD_VERSION"
  make_module "$dir" funcdeck.dev/devcluster/etcd "	go.etcd.io/etcd/server/v3 $ETCD_VERSION" "" go.etcd.io/etcd/server/v3
  mkdir -p "$BIN_ETCD.tmp"
  (cd "$dir" && $GO build -ldflags "$LDFLAGS_BASE" -o "$BIN_ETCD.tmp/etcd" go.etcd.io/etcd/server/v3)
  rm -rf "$BIN_ETCD"; mv "$BIN_ETCD.tmp" "$BIN_ETCD"
}

build_coredns() {
  if [ -x "$BIN_COREDNS/coredns" ]; then log "    coredns $COREDNS_VERSION: cached in $BIN_COREDNS"; return 0; fi
  local dir="$SRC/coredns-$COREDNS_VERSION"
  make_module "$dir" funcdeck.dev/devcluster/coredns "	github.com/coredns/coredns $COREDNS_VERSION" "" github.com/coredns/coredns
  mkdir -p "$BIN_COREDNS.tmp"
  (cd "$dir" && $GO build -ldflags "$LDFLAGS_BASE" -o "$BIN_COREDNS.tmp/coredns" github.com/coredns/coredns)
  rm -rf "$BIN_COREDNS"; mv "$BIN_COREDNS.tmp" "$BIN_COREDNS"
}

build_containerd() {
  if [ -x "$BIN_CONTAINERD/containerd" ] && [ -x "$BIN_CONTAINERD/containerd-shim-runc-v2" ]; then
    log "    containerd $CONTAINERD_VERSION: cached in $BIN_CONTAINERD"; return 0
  fi
  local dir="$SRC/containerd-$CONTAINERD_VERSION" m=github.com/containerd/containerd/v2
  make_module "$dir" funcdeck.dev/devcluster/containerd "	$m $CONTAINERD_VERSION" "" \
    "$m/cmd/containerd" "$m/cmd/containerd-shim-runc-v2" "$m/cmd/ctr"
  mkdir -p "$BIN_CONTAINERD.tmp"
  (cd "$dir" && $GO build -tags "no_btrfs no_devmapper no_zfs no_aufs" \
    -ldflags "$LDFLAGS_BASE -X $m/version.Version=$CONTAINERD_VERSION" \
    -o "$BIN_CONTAINERD.tmp/" "$m/cmd/containerd" "$m/cmd/containerd-shim-runc-v2" "$m/cmd/ctr")
  rm -rf "$BIN_CONTAINERD"; mv "$BIN_CONTAINERD.tmp" "$BIN_CONTAINERD"
}

main() {
  command -v "$GO" >/dev/null || die "Go is needed to build the dev cluster the first time (go 1.26+)."
  local what="${1:-all}"
  case "$what" in
    all)
      # kubernetes (the long one) builds beside the three others: on 2 cores that takes the first
      # build from ~18 to ~11 minutes, since downloads and links leave cores idle
      local bl="$CACHE/build-logs"; mkdir -p "$bl"
      ( step "build kubernetes $K8S_VERSION" build_kubernetes ) >"$bl/kubernetes.log" 2>&1 &
      local kpid=$!
      step "build etcd $ETCD_VERSION" build_etcd
      step "build containerd $CONTAINERD_VERSION" build_containerd
      step "build coredns $COREDNS_VERSION" build_coredns
      if ! wait "$kpid"; then
        tail -n 30 "$bl/kubernetes.log" >&2
        die "building kubernetes failed; full log: $bl/kubernetes.log"
      fi
      grep -E '^(==>|    )' "$bl/kubernetes.log" >&2 || true ;;
    kubernetes|etcd|coredns|containerd) step "build $what" "build_$what" ;;
    *) die "usage: build.sh [all|kubernetes|etcd|coredns|containerd]" ;;
  esac
}
main "$@"
