#!/usr/bin/env bash
# Builds a real Kubernetes API server, kubectl and kube-controller-manager
# (v1.28.15) from the Go module proxy and provides etcd (Debian's etcd-server package) for the integration
# tests in test/cluster/.
#
# Output: binaries in the bin dir (printed as the last line of stdout):
#   ${K8S_TEST_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/homelab-baseline/k8s-v1.28.15}/
#     kube-apiserver  kubectl  kube-controller-manager  etcd (symlink to the system etcd)
# test/cluster/harness.ts (binDir()) computes the same path.
#
# A second run is a fast no-op: it checks a stamp file and the binaries.
# Cold run: ~6 min on 2 cores (Go toolchain + modules ~20 s, compile ~5.5 min);
# needs ~2 GiB GOMODCACHE + ~2 GiB GOCACHE. Warm (no-op) run: <0.1 s.
#
# Toolchain: Kubernetes 1.28 predates Go 1.23's //go:linkname restrictions, so
# we build with go1.22.12 (GOTOOLCHAIN fetches it from the Go module proxy as
# the golang.org/toolchain module); any installed go >= 1.21 can bootstrap it.
set -euo pipefail

K8S_VERSION=v1.28.15
GO_TOOLCHAIN=go1.22.12

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MOD_DIR="$HERE/apiserver"
BIN="${K8S_TEST_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/homelab-baseline/k8s-$K8S_VERSION}"
START=$(date +%s)

log() { echo "[cluster-build +$(($(date +%s) - START))s] $*" >&2; }

# ---- etcd -----------------------------------------------------------------
ensure_etcd() {
  # shellcheck source=../../scripts/apt-ensure.sh
  source "$HERE/../../scripts/apt-ensure.sh"
  apt_ensure etcd etcd-server etcd
}

# ---- go -------------------------------------------------------------------
find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  for g in /usr/local/go/bin/go /usr/lib/go/bin/go; do
    if [ -x "$g" ]; then echo "$g"; return; fi
  done
  echo "no Go toolchain found (need go >= 1.21 to bootstrap $GO_TOOLCHAIN)" >&2
  exit 1
}

STAMP_WANT="$K8S_VERSION $GO_TOOLCHAIN $(cat "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" | sha256sum | cut -c1-16)"

up_to_date() {
  [ -x "$BIN/kube-apiserver" ] && [ -x "$BIN/kubectl" ] && [ -x "$BIN/kube-controller-manager" ] && [ -e "$BIN/etcd" ] || return 1
  [ "$(cat "$BIN/.stamp" 2>/dev/null)" = "$STAMP_WANT" ] || return 1
  "$BIN/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes $K8S_VERSION"
}

ensure_etcd
mkdir -p "$BIN"
ln -sfn "$(command -v etcd)" "$BIN/etcd"

if up_to_date; then
  log "up to date: $BIN ($K8S_VERSION)"
  echo "$BIN"
  exit 0
fi

GO="$(find_go)"
export GOTOOLCHAIN="$GO_TOOLCHAIN" GOFLAGS="-mod=readonly" CGO_ENABLED=0
log "go toolchain: $(cd "$MOD_DIR" && "$GO" version)"

log "downloading Go modules (k8s.io/kubernetes $K8S_VERSION + deps)"
(cd "$MOD_DIR" && "$GO" mod download)
(cd "$MOD_DIR" && "$GO" mod verify >/dev/null)

# Same version variables the upstream build (hack/lib/version.sh) sets, so
# `kube-apiserver --version` / `kubectl version` report the real version.
BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDFLAGS+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=28"
  LDFLAGS+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$BUILD_DATE"
done

TMP_OUT="$(mktemp -d "$BIN/.build.XXXXXX")"
trap 'rm -rf "$TMP_OUT"' EXIT
log "compiling kube-apiserver + kubectl + kube-controller-manager (the long step; ~5-9 min on 2 cores)"
(cd "$MOD_DIR" && "$GO" build -trimpath -ldflags "$LDFLAGS" -o "$TMP_OUT/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl k8s.io/kubernetes/cmd/kube-controller-manager)
mv -f "$TMP_OUT/kube-apiserver" "$TMP_OUT/kubectl" "$TMP_OUT/kube-controller-manager" "$BIN/"
echo "$STAMP_WANT" >"$BIN/.stamp"

"$BIN/kube-apiserver" --version >&2
"$BIN/kubectl" version --client >&2
"$BIN/kube-controller-manager" --version >&2
"$BIN/etcd" --version 2>&1 | head -1 >&2
log "done in $(($(date +%s) - START))s: $BIN"
echo "$BIN"
