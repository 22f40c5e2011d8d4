// SPDX-License-Identifier: GPL-2.0-only
/* Bench helpers (bench/xdp only, never loaded by enforcerd). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Traffic generator for BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES:
 * XDP_TX turns every test frame into a real transmit on the ingress
 * ifindex (net/bpf/test_run.c, xdp_test_run_batch). */
SEC("xdp")
int hm_gen_tx(struct xdp_md *ctx)
{
	return XDP_TX;
}

/* Lets a veth receive redirected frames without filtering them (the
 * nftables baseline): veth only accepts ndo_xdp_xmit when the peer has
 * an XDP program or GRO enabled. */
SEC("xdp")
int hm_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}
