#!/usr/bin/env bash
# Installs the independent scanners that cross-check dist/ (test/scanners/scanners.test.ts), pinned, into a
# cache folder outside the repo. Idempotent: a scanner whose pinned version is already there is left alone,
# so a warm machine pays nothing. Prints the folder; the test finds it the same way (SCANNERS_HOME).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
home="${SCANNERS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/homelab-baseline/scanners}"
# shellcheck source=versions.env
source "$here/versions.env"
mkdir -p "$home/bin"

# checkov (PyPI) in its own virtualenv, every transitive dependency pinned by checkov-constraints.txt. A stamp
# of version + constraints marks a finished install (starting checkov just to ask its version takes seconds).
stamp="$CHECKOV_VERSION $(sha256sum "$here/checkov-constraints.txt" | cut -d' ' -f1)"
if [[ ! -x "$home/checkov/bin/checkov" || "$(cat "$home/checkov/.installed" 2>/dev/null)" != "$stamp" ]]; then
  rm -rf "$home/checkov"
  python3 -m venv "$home/checkov"
  "$home/checkov/bin/pip" install --quiet --no-input -c "$here/checkov-constraints.txt" "checkov==$CHECKOV_VERSION"
  echo "$stamp" > "$home/checkov/.installed"
fi
ln -sf "$home/checkov/bin/checkov" "$home/bin/checkov"

# kube-score (Go module proxy), built from source with the pinned version; go.sum checks come from the proxy's checksum DB.
if ! "$home/bin/kube-score" version 2>/dev/null | grep -q "${KUBE_SCORE_VERSION#v}"; then
  GOBIN="$home/bin" GOFLAGS=-buildvcs=false go install \
    -ldflags "-X main.version=${KUBE_SCORE_VERSION#v}" "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
fi

echo "$home"
