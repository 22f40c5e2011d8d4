# One image for every HoneyMesh process: the release executables (bun build --compile, the same
# ones the .deb ships) on a small Debian base. compose.yaml builds it once and runs seven
# containers from it, picking the process with the command.
#
#   bash scripts/build-release.sh dist/release     # executables + BPF object + dashboard + migrations
#   docker compose build                            # or: docker build -t honeymesh:latest .
#
# BASE_IMAGE: any Debian 12 (bookworm) or newer root with libbpf1, or without it and with a
# reachable apt mirror. The tests import one made by debootstrap (no registry needed).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

# libbpf1: enforcerd dlopens libbpf.so.1 through bun:ffi (packages/bpf). systemd: journalctl,
# which logd runs for a journal jail (logpath = ["journal"]); slim images lack it. Only what is
# missing is installed.
RUN pkgs=""; \
    ls /usr/lib/*/libbpf.so.1 >/dev/null 2>&1 || pkgs="$pkgs libbpf1"; \
    command -v journalctl >/dev/null 2>&1 || pkgs="$pkgs systemd"; \
    if [ -n "$pkgs" ]; then \
      apt-get update && apt-get install -y --no-install-recommends $pkgs && rm -rf /var/lib/apt/lists/*; \
    fi
COPY dist/release/bin/ /usr/bin/
COPY dist/release/lib/ /usr/lib/honeymesh/
COPY deploy/container/init.sh /usr/lib/honeymesh/container-init.sh
COPY deploy/honeymesh.example.toml /etc/honeymesh/honeymesh.toml
# /run/honeymesh: the mount point of the shared runtime volume (bus and API sockets), 01770
# root:10000 (gid honeymesh) as tmpfiles.d makes it for the .deb. Set here, not only by the init
# container: Docker copies the image's directory owner and mode onto a named volume each time a
# container mounts it while it is still empty, and this one holds no file until busd starts.
RUN mkdir -p /var/lib/honeymesh && install -d -m 01770 -o 0 -g 10000 /run/honeymesh \
    && chmod 0755 /usr/lib/honeymesh/container-init.sh

# Containers run with a read-only root file system: nothing may write a transpiler cache (the
# enforcer's ring-buffer worker is a file run at start).
ENV HONEYMESH_NODE_STATE_DIR=/var/lib/honeymesh \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 \
    NODE_ENV=production
WORKDIR /var/lib/honeymesh
VOLUME ["/var/lib/honeymesh"]
# compose.yaml names the process; the bare image runs the broker, which is harmless.
CMD ["honeymesh-busd", "--config", "/etc/honeymesh/honeymesh.toml"]
