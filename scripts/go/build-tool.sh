#!/usr/bin/env bash
# Builds one pinned Go tool from its committed wrapper module in scripts/go/<name>/ and caches the binary
# outside the repository. Prints the binary's absolute path as the last line of stdout.
#
#   bash scripts/go/build-tool.sh <name>
#
# scripts/go/<name>/ holds go.mod and go.sum (committed, exact versions, built -mod=readonly), a tools.go
# that blank-imports the command, and tool.env:
#   VERSION=v3.17.3                      # the upstream version (part of the cache key and the log)
#   PACKAGE=helm.sh/helm/v3/cmd/helm     # the main package to build
#   BINARY=helm                          # the output file name
#   LDFLAGS='-s -w -X ...'               # optional
#   GO_TOOLCHAIN=go1.22.12               # optional: fetched from the Go module proxy via GOTOOLCHAIN
#
# Cache: ${HOMELAB_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/homelab-baseline/tools}/<name>-<VERSION>-<key>/
# where <key> hashes go.mod, go.sum and tool.env, so any change to the pinned inputs builds anew and a warm
# run is a stat. Concurrent builds of the same tool wait on one lock instead of racing.
set -euo pipefail
name="${1:?usage: build-tool.sh <name>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mod="$here/$name"
[ -f "$mod/tool.env" ] || { echo "build-tool: unknown tool '$name': no $mod/tool.env (tools: $(ls "$here" | grep -v '\.sh$' | tr '\n' ' '))" >&2; exit 2; }
VERSION='' PACKAGE='' BINARY='' LDFLAGS='-s -w' GO_TOOLCHAIN=''
# shellcheck source=/dev/null
source "$mod/tool.env"
key="$(cat "$mod/go.mod" "$mod/go.sum" "$mod/tool.env" | sha256sum | cut -c1-12)"
root="${HOMELAB_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/homelab-baseline/tools}"
dir="$root/$name-$VERSION-$key"
bin="$dir/$BINARY"
if [ -x "$bin" ] && [ -f "$dir/.done" ]; then echo "$bin"; exit 0; fi

command -v go >/dev/null 2>&1 || { echo "build-tool: $name $VERSION needs a Go toolchain (go >= 1.21) on PATH" >&2; exit 1; }
mkdir -p "$root"
exec 9>"$root/.$name.lock"
flock 9
if [ -x "$bin" ] && [ -f "$dir/.done" ]; then echo "$bin"; exit 0; fi

start=$(date +%s)
echo "[build-tool] building $name $VERSION ($PACKAGE); cold builds take minutes, later runs are cached in $dir" >&2
tmp="$(mktemp -d "$root/.$name.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
(
  cd "$mod"
  export GOFLAGS=-mod=readonly CGO_ENABLED=0
  if [ -n "$GO_TOOLCHAIN" ]; then export GOTOOLCHAIN="$GO_TOOLCHAIN"; fi
  go mod download
  go build -trimpath -buildvcs=false -ldflags "$LDFLAGS" -o "$tmp/$BINARY" "$PACKAGE"
) >&2
rm -rf "$dir"
mkdir -p "$dir"
mv "$tmp/$BINARY" "$bin"
touch "$dir/.done"
echo "[build-tool] $name $VERSION built in $(($(date +%s) - start))s: $bin" >&2
echo "$bin"
