#!/usr/bin/env bash
# Install step of the enforce project (run by package.json "pretest"): the Debian packages the lab drives,
# when missing (iproute2, iptables, ipset, conntrack; python3 runs the listeners and probers), then kube-router and
# np-guard from their pinned wrapper modules through scripts/go/build-tool.sh (cached outside the repo by
# version and input hash: a warm run is a stat). Prints the two binaries' paths.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
missing=()
for need in ip:iproute2 iptables:iptables ipset:ipset conntrack:conntrack python3:python3; do
  command -v "${need%%:*}" >/dev/null 2>&1 || missing+=("${need#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[enforce-install] installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "[enforce-install] missing ${missing[*]}: install them as root; the enforce tests need root anyway and skip without it" >&2
  fi
fi
for tool in kube-router np-guard; do bash "$root/scripts/go/build-tool.sh" "$tool" | tail -1; done
