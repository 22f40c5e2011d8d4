#!/usr/bin/env bash
# Installs everything HoneyMesh needs on a fresh Debian 12 (root, node + npm only) and builds it.
# Idempotent: a second run installs nothing and only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the node needs, and what `honeymesh demo` uses.
packages=(clang llvm libbpf-dev bpftool make iproute2 nmap openssh-client sshpass)
# `--test`: the real tools the test suite and benches drive (attackers, peers, validators).
# Kept out of a node's setup: installing fail2ban or a bouncer would start their services.
if [ "${1:-}" = "--test" ]; then
  packages+=(hping3 xdp-tools nftables docker-compose systemd curl jq openssl lftp redis-tools \
    fail2ban python3-pyinotify crowdsec-custom-bouncer python3-prometheus-client chromium \
    debootstrap systemd-container iputils-ping bpftool zstd docker.io \
    openssh-server hydra)
fi

need_apt=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! command -v bun >/dev/null 2>&1; then
  echo "setup: installing Bun from npm"
  npm install -g bun >/dev/null
fi

bun install --frozen-lockfile >/dev/null
bun run --cwd dashboard build >/dev/null
make -s -C bpf

# XDP maps are pinned here (DESIGN §4); a fresh VM may not have bpffs mounted.
if ! mountpoint -q /sys/fs/bpf 2>/dev/null; then
  mount -t bpf bpf /sys/fs/bpf 2>/dev/null || echo "setup: warning: cannot mount bpffs at /sys/fs/bpf; enforcement will report unavailable"
fi

# `honeymesh` on the PATH, pointing at this checkout.
if [ -w /usr/local/bin ]; then
  printf '#!/bin/sh\nexec bun "%s/cli/src/main.ts" "$@"\n' "$(pwd)" > /usr/local/bin/honeymesh
  chmod 755 /usr/local/bin/honeymesh
fi
echo "setup: done"
