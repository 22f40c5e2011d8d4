/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The connection guard (issue 15): counts *completed* TCP handshakes per
 * source to the configured real-service ports (sshd's 22 by default when
 * enabled) and reports a source once per window when it opens more than
 * max_new of them. Only a passive open that reached ESTABLISHED is counted
 * (oldstate TCP_SYN_RECV -> TCP_ESTABLISHED on the child socket, the
 * transition tcp_rcv_state_process() makes when the final ACK of the
 * handshake arrives, RFC 9293 §3.5): the source answered our SYN-ACK, so a
 * spoofed address cannot be counted, unlike the XDP scan tracker's SYNs.
 *
 * The tracepoint fires for every network namespace; only sockets of the
 * namespace enforcerd runs in (hm_guard_config.netns_ino) are counted, so
 * a node in a container or namespace guards its own services only.
 * Allowlisted sources are never counted. The report is evidence, not a ban:
 * scand decides, enforcerd applies the protected set as for any decision.
 */
#ifndef HM_GUARD_H
#define HM_GUARD_H

#define AF_INET_ 2
#define AF_INET6_ 10

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hm_guard_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_guard_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hm_guard_counters_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_guard_counters SEC(".maps");

/* Guarded local ports (host order) -> unused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HM_GUARD_MAX_PORTS);
	__type(key, __u16);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_guard_ports SEC(".maps");

/* Per source (IPv4 as IPv4-mapped IPv6): LRU, so a flood of sources evicts
 * the oldest counts instead of failing. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, HM_GUARD_MAX_SOURCES);
	__type(key, struct in6_addr);
	__type(value, struct hm_guard_state);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_guard_src SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, HM_GUARD_EVENTS_BYTES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hm_guard_events SEC(".maps");

static __always_inline int hm_guard_allowed(const __u8 *src16, int v4)
{
	if (v4) {
		struct hm_lpm_v4 k = { .prefixlen = 32 };

		__builtin_memcpy(k.addr, &src16[12], 4);
		return bpf_map_lookup_elem(&hm_allow_v4, &k) != 0;
	}
	struct hm_lpm_v6 k6 = { .prefixlen = 128 };

	__builtin_memcpy(k6.addr, src16, 16);
	return bpf_map_lookup_elem(&hm_allow_v6, &k6) != 0;
}

/* Not inlined so that struct hm_guard_event is in the object's BTF, where
 * the userspace layout is generated from (as hm_event_fill in hm_scan.h). */
static __noinline void hm_guard_fill(struct hm_guard_event *ev, const __u8 *src16, __u64 now)
{
	if (!ev || !src16)
		return;
	__builtin_memcpy(ev->src, src16, 16);
	ev->_pad = 0;
	ev->ts_ns = now;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(hm_guard, const struct sock *sk, int oldstate, int newstate)
{
	__u32 zero = 0;

	if (oldstate != TCP_SYN_RECV || newstate != TCP_ESTABLISHED)
		return 0;
	if (sk->sk_protocol != IPPROTO_TCP_)
		return 0;
	struct hm_guard_config *g = bpf_map_lookup_elem(&hm_guard_config, &zero);

	if (!g || !g->max_new)
		return 0;
	if (sk->__sk_common.skc_net.net->ns.inum != g->netns_ino)
		return 0;
	__u16 port = sk->__sk_common.skc_num;

	if (!bpf_map_lookup_elem(&hm_guard_ports, &port))
		return 0;
	struct hm_guard_counters_val *cv = bpf_map_lookup_elem(&hm_guard_counters, &zero);

	if (cv)
		cv->c[HM_GCNT_ESTABLISHED]++;

	/* The remote end: skc_daddr for AF_INET, skc_v6_daddr for AF_INET6
	 * (an IPv4 client of a dual-stack listener arrives v4-mapped, which is
	 * already the key form). */
	struct in6_addr key = {};
	__u8 *src16 = (__u8 *)&key;
	__u32 family;

	if (sk->__sk_common.skc_family == AF_INET_) {
		__be32 d = sk->__sk_common.skc_daddr;

		src16[10] = 0xff;
		src16[11] = 0xff;
		__builtin_memcpy(&src16[12], &d, 4);
		family = 4;
	} else if (sk->__sk_common.skc_family == AF_INET6_) {
		__builtin_memcpy(src16, &sk->__sk_common.skc_v6_daddr, 16);
		__u32 *w = (__u32 *)src16;

		family = (w[0] == 0 && w[1] == 0 && w[2] == bpf_htonl(0xffff)) ? 4 : 6;
	} else {
		return 0;
	}
	if (hm_guard_allowed(src16, family == 4)) {
		if (cv)
			cv->c[HM_GCNT_ALLOWED]++;
		return 0;
	}

	__u64 now = bpf_ktime_get_boot_ns();
	__u64 window = (__u64)(g->window_s ? g->window_s : HM_DEFAULT_GUARD_WINDOW_S) * 1000000000ULL;
	struct hm_guard_state *st = bpf_map_lookup_elem(&hm_guard_src, &key);

	if (!st || now - st->window_start_ns >= window) {
		struct hm_guard_state fresh = { .window_start_ns = now, .count = 1 };

		bpf_map_update_elem(&hm_guard_src, &key, &fresh, BPF_ANY);
		return 0;
	}
	/* Exactly one CPU sees the count pass max_new: one report per window. */
	__u32 n = __sync_fetch_and_add(&st->count, 1) + 1;

	if (n != g->max_new + 1)
		return 0;
	struct hm_guard_event *ev = bpf_ringbuf_reserve(&hm_guard_events, sizeof(*ev), 0);

	if (!ev) {
		if (cv)
			cv->c[HM_GCNT_RINGBUF_FULL]++;
		return 0;
	}
	hm_guard_fill(ev, src16, now);
	ev->family = family;
	ev->port = port;
	ev->count = n;
	ev->window_s = g->window_s ? g->window_s : HM_DEFAULT_GUARD_WINDOW_S;
	bpf_ringbuf_submit(ev, 0);
	if (cv)
		cv->c[HM_GCNT_REPORTS]++;
	return 0;
}

#endif
