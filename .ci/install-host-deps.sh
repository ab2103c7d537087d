#!/bin/bash
# Installs the Debian packages the shellcheck and end-to-end tests need on the CI host (idempotent; quick when present).
set -euo pipefail

# mmdebstrap builds the node rootfs; systemd-container boots it (systemd-nspawn); util-linux has unshare, nsenter
# and flock; shellcheck and bash lint the generated host scripts; iproute2 (ip, ss) and socat give a node HTTP access
# to the Debian mirror when a test asks for it (apt); ca-certificates lets mmdebstrap use an https mirror; strace
# counts the processes a host script spawns (the host-script benchmark and its e2e test); neovim runs the
# language-server smoke test with a real editor's LSP client; unzip opens the built VS Code .vsix in a test.
PACKAGES=(mmdebstrap systemd-container util-linux iproute2 socat shellcheck bash ca-certificates strace neovim unzip)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-host-deps: must run as root" >&2
  exit 2
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-host-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-host-deps: installing ${missing[*]}"
apt-get update -qq
# debconf notes that apt-utils is missing; that is noise, real failures still fail the script.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2> >(grep -v "apt-utils is not installed" >&2)
echo "install-host-deps: done"
