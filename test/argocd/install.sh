#!/usr/bin/env bash
# Install step of the `argocd` jest project (run by `npm test`'s pretest): builds argocd v2.14.21 through
# scripts/go/build-tool.sh (cached by version and input hash) and installs Debian's redis-server if it is
# missing, with a policy-rc.d that keeps the package from starting a system Redis: the test starts its own
# on a free loopback port. kube-apiserver, kubectl and kube-controller-manager come from test/cluster/build.sh.
# Prints the argocd binary's path as the last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v redis-server >/dev/null 2>&1; then
  echo "[argocd-install] redis-server not found; installing Debian package redis-server" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  prc=/usr/sbin/policy-rc.d created_prc=0
  if [ ! -e "$prc" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$prc" >/dev/null
    $SUDO chmod 755 "$prc"
    created_prc=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
  if [ "$created_prc" = 1 ]; then $SUDO rm -f "$prc"; fi
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
  fi
  command -v redis-server >/dev/null 2>&1 || { echo "redis-server still missing after install" >&2; exit 1; }
fi

bash "$here/../../scripts/go/build-tool.sh" argocd
