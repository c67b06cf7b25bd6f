#!/usr/bin/env bash
# Install step of the `argocd` jest project (run by `npm test`'s pretest): builds argocd v2.14.21 through
# scripts/go/build-tool.sh (cached by version and input hash) and installs Debian's redis-server if it is
# missing, with a policy-rc.d that keeps the package from starting a system Redis: the test starts its own
# on a free loopback port. kube-apiserver, kubectl and kube-controller-manager come from test/cluster/build.sh.
# Prints the argocd binary's path as the last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# shellcheck source=../../scripts/apt-ensure.sh
source "$here/../../scripts/apt-ensure.sh"
apt_ensure redis-server redis-server redis-server

bash "$here/../../scripts/go/build-tool.sh" argocd
