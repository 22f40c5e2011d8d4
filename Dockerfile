# syntax=docker/dockerfile:1
#
# One image for every HoneyMesh process; compose.yaml picks the process with
# the command (`bun services/<svc>/src/main.ts --config ...`).
#
#   docker compose build          (or: docker build -t honeymesh .)
#
# Stage 1 compiles the XDP object with clang. The Makefile generates vmlinux.h
# from the BTF of the kernel the build runs on (/sys/kernel/btf/vmlinux, visible
# read-only inside build containers); the object is CO-RE, so it relocates onto
# the kernel it is finally loaded into. Pass --build-arg BTF=/path/to/vmlinux
# to use another BTF file.

ARG BUN_IMAGE=oven/bun:1

FROM ${BUN_IMAGE} AS bpf
ARG BTF=/sys/kernel/btf/vmlinux
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang llvm libbpf-dev bpftool make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY bpf/ bpf/
RUN make -C bpf clean && make -C bpf BTF="${BTF}"

FROM ${BUN_IMAGE} AS runtime
# libbpf1: enforcerd dlopens libbpf.so.1 through bun:ffi (packages/bpf).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libbpf1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/honeymesh
COPY . .
# Runtime dependencies only (typescript, drizzle-kit, @types/* are dev tools);
# the committed lockfile must match exactly.
RUN bun install --frozen-lockfile --production
# The dashboard apid serves at / (hashed, precompressed assets).
RUN bun run --cwd dashboard build
COPY --from=bpf /src/bpf/build/honeymesh.bpf.o /src/bpf/build/hm_bench.bpf.o /opt/honeymesh/bpf/build/
RUN mkdir -p /var/lib/honeymesh /etc/honeymesh

# Containers run with a read-only root filesystem: keep Bun from writing its
# transpiler cache anywhere.
ENV HONEYMESH_NODE_STATE_DIR=/var/lib/honeymesh \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 \
    NODE_ENV=production
VOLUME ["/var/lib/honeymesh"]
# No ENTRYPOINT magic: compose.yaml names the service to run. The default is
# the broker so that `docker run` of the bare image does something harmless.
CMD ["bun", "services/busd/src/main.ts", "--config", "/etc/honeymesh/honeymesh.toml"]
