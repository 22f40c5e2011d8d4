// SPDX-License-Identifier: GPL-2.0-only
/*
 * HoneyMesh XDP enforcer (DESIGN §4).
 *
 * Precedence for every parsed IPv4/IPv6 frame:
 *   1. allowlist (LPM)   -> PASS, always, in every mode
 *   2. lockdown mode     -> DROP everything else
 *   3. exact ban (HASH), then CIDR ban (LPM); expired entries are ignored
 *   4. test mode counts a would-drop and passes; enforce mode drops
 *   5. passed TCP SYNs of non-allowlisted sources feed the vertical-scan tracker;
 *      with the fast path on (enforce mode only) the crossing itself installs
 *      a short SCAN ban, so the source's next packet is dropped (hm_scan.h)
 *   6. packets shaped to hide their TCP header (tiny/overlapping IPv4
 *      fragments, IPv6 chains past the walk or cut first fragments, see
 *      hm_parse.h) from non-allowlisted sources are treated as a ban without
 *      reason (dropped in enforce) and charged to the source as scan probes
 * (hm_verdict.h evaluates 3 before 1 for speed; the outcome is the same.)
 * Frames we cannot parse (non-IP, truncated, > HM_MAX_VLAN tags) pass and
 * are counted.
 *
 * The same object carries the connection guard (hm_guard.h), a tp_btf
 * program on sock:inet_sock_set_state sharing the allowlist and counters.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include "honeymesh.h"

char LICENSE[] SEC("license") = "GPL";

/* vmlinux.h carries types, not #defines. */
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_TCP_ 6
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_AH_ 51
#define IPPROTO_DSTOPTS_ 60

struct hm_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* Exact bans. NO_PREALLOC: a prealloc'd 1M-entry table costs ~80 MB of
 * kernel memory per family even when empty; elements come from the BPF
 * memory allocator on insert instead (Documentation/bpf/map_hash.rst). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HM_BAN_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct hm_ban);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_ban_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HM_BAN_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct in6_addr);
	__type(value, struct hm_ban);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_ban_v6 SEC(".maps");

/* LPM tries must be created with BPF_F_NO_PREALLOC (map_lpm_trie.rst). */
#define HM_LPM(name, keyt, valt, n)                 \
	struct {                                    \
		__uint(type, BPF_MAP_TYPE_LPM_TRIE); \
		__uint(max_entries, n);              \
		__uint(map_flags, BPF_F_NO_PREALLOC); \
		__type(key, keyt);                   \
		__type(value, valt);                 \
		__uint(pinning, LIBBPF_PIN_BY_NAME); \
	} name SEC(".maps")

HM_LPM(hm_cidr_v4, struct hm_lpm_v4, struct hm_ban, HM_CIDR_MAX_ENTRIES);
HM_LPM(hm_cidr_v6, struct hm_lpm_v6, struct hm_ban, HM_CIDR_MAX_ENTRIES);
HM_LPM(hm_allow_v4, struct hm_lpm_v4, __u32, HM_ALLOW_MAX_ENTRIES);
HM_LPM(hm_allow_v6, struct hm_lpm_v6, __u32, HM_ALLOW_MAX_ENTRIES);
/* The protected set (resolvers, NTP, mesh peers, live sessions): never
 * banned by the fast path, but unlike the allowlist not exempt from bans
 * enforcerd writes. Filled by enforcerd. */
HM_LPM(hm_protect_v4, struct hm_lpm_v4, __u32, HM_PROTECT_MAX_ENTRIES);
HM_LPM(hm_protect_v6, struct hm_lpm_v6, __u32, HM_PROTECT_MAX_ENTRIES);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hm_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_config SEC(".maps");

/* One element holding every counter slot: one lookup per packet instead
 * of one per counter. Userspace sums the per-CPU copies. */
struct hm_counters_val {
	__u64 c[HM_CNT_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hm_counters_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, HM_SCAN_MAX_SOURCES);
	__type(key, __u32);
	__type(value, struct hm_scan_state);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_scan_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, HM_SCAN_MAX_SOURCES);
	__type(key, struct in6_addr);
	__type(value, struct hm_scan_state);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_scan_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, HM_EVENTS_BYTES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_events SEC(".maps");

#include "hm_scan.h"
#include "hm_parse.h"
#include "hm_verdict.h"
#include "hm_guard.h"

/* Passed TCP SYNs (no ACK) from non-allowlisted sources feed the tracker. */
static __always_inline void hm_maybe_syn(void *data, void *end, const struct hm_l3 *l3,
					 const struct hm_track *t, void *allow_map, int allowed,
					 const struct hm_config *cfg, __u64 *c)
{
	if (l3->l4proto != IPPROTO_TCP_)
		return;
	/* Mask gives the verifier an explicit bound on the variable offset. */
	struct tcphdr *th = data + (l3->l4off & 0x3fff);

	if ((void *)(th + 1) > end)
		return;
	__u8 flags = ((__u8 *)th)[13];

	if ((flags & 0x12) != 0x02) /* SYN without ACK */
		return;
	c[HM_CNT_SYN_SEEN]++;
	if (allowed == HM_ALLOW_YES ||
	    (allowed == HM_ALLOW_UNKNOWN && bpf_map_lookup_elem(allow_map, t->lpm_key)))
		return;
	hm_scan_track(t, l3->family, bpf_ntohs(th->dest), 0, cfg, c);
}

/* An evasive probe: charged by port when the ports made it into this
 * packet, else as a hidden one (hm_scan.h). */
static __always_inline void hm_suspect(void *data, void *end, const struct hm_l3 *l3,
				       const struct hm_track *t, const struct hm_config *cfg, __u64 *c)
{
	__u8 *th = data + (l3->l4off & 0x3fff);

	if (l3->l4proto == IPPROTO_TCP_ && (void *)(th + 4) <= end)
		hm_scan_track(t, l3->family, ((__u16)th[2] << 8) | th[3], 0, cfg, c);
	else
		hm_scan_track(t, l3->family, 0, 1, cfg, c);
}

SEC("xdp")
int hm_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 zero = 0;
	struct hm_counters_val *cv = bpf_map_lookup_elem(&hm_counters, &zero);
	struct hm_config *cfg = bpf_map_lookup_elem(&hm_config, &zero);
	struct hm_l3 l3 = {};
	int allowed = HM_ALLOW_UNKNOWN;
	int suspect = 0;
	int act, r;

	if (!cv || !cfg)
		return XDP_PASS;
	__u64 *c = cv->c;

	r = hm_parse(data, end, &l3);
	if (r < 0) {
		c[r == HM_PARSE_VLAN_DEEP ? HM_CNT_VLAN_DEEP : HM_CNT_UNPARSED_PASS]++;
		c[HM_CNT_PASSED]++;
		return XDP_PASS;
	}
	if (l3.family == 4) {
		struct iphdr *ip = data + (l3.l3off & 0xff);

		if ((void *)(ip + 1) > end)
			return XDP_PASS;
		__be32 saddr = ip->saddr;
		struct hm_lpm_v4 k = { .prefixlen = 32 };

		__builtin_memcpy(k.addr, &saddr, 4);
		act = hm_verdict_v4(c, cfg->mode, saddr, &k, l3.evasion, &allowed, &suspect);
		if (suspect || (act == XDP_PASS && allowed != HM_ALLOW_YES)) {
			__u8 src16[16] = { [10] = 0xff, [11] = 0xff };

			struct hm_track t = { &hm_scan_v4, &hm_ban_v4, &hm_protect_v4, &saddr, src16, &k };

			__builtin_memcpy(&src16[12], &saddr, 4);
			if (suspect)
				hm_suspect(data, end, &l3, &t, cfg, c);
			else
				hm_maybe_syn(data, end, &l3, &t, &hm_allow_v4, allowed, cfg, c);
		}
		return act;
	}
	struct ipv6hdr *ip6 = data + (l3.l3off & 0xff);

	if ((void *)(ip6 + 1) > end)
		return XDP_PASS;
	struct hm_lpm_v6 k6 = { .prefixlen = 128 };

	__builtin_memcpy(k6.addr, &ip6->saddr, 16);
	act = hm_verdict_v6(c, cfg->mode, &k6, l3.evasion, &allowed, &suspect);
	struct hm_track t6 = { &hm_scan_v6, &hm_ban_v6, &hm_protect_v6, k6.addr, k6.addr, &k6 };

	if (suspect)
		hm_suspect(data, end, &l3, &t6, cfg, c);
	else if (act == XDP_PASS && allowed != HM_ALLOW_YES)
		hm_maybe_syn(data, end, &l3, &t6, &hm_allow_v6, allowed, cfg, c);
	return act;
}
