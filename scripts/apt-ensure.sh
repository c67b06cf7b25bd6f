# Sourced by install steps: `apt_ensure COMMAND PACKAGE [SERVICE]` installs Debian's PACKAGE when COMMAND is
# missing, with a policy-rc.d that keeps the package's init scripts from starting a system service (the tests
# start their own, on free loopback ports), and where systemd runs, stops and disables SERVICE. Fails when
# COMMAND is still missing afterwards.
apt_ensure() {
  local cmd="$1" pkg="$2" service="${3:-}"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  echo "[install] $cmd not found; installing Debian package $pkg" >&2
  local SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  local prc=/usr/sbin/policy-rc.d created_prc=0
  if [ ! -e "$prc" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$prc" >/dev/null
    $SUDO chmod 755 "$prc"
    created_prc=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >&2
  if [ "$created_prc" = 1 ]; then $SUDO rm -f "$prc"; fi
  if [ -n "$service" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now "$service" >/dev/null 2>&1 || true
  fi
  command -v "$cmd" >/dev/null 2>&1 || { echo "$cmd still missing after installing $pkg" >&2; return 1; }
}
