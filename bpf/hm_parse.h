/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Header parsing: Ethernet, up to HM_MAX_VLAN tags (802.1Q / 802.1ad), IPv4
 * (options skipped via ihl), IPv6 with a bounded extension-header walk.
 * Offsets, not pointers, are returned; callers re-check bounds.
 *
 * It also flags packets built to hide their TCP header from a filter that
 * looks only at the first fragment or at a bounded header chain, while the
 * receiving stack still reassembles them and the port answers:
 *  - IPv4 first fragments too short for the whole TCP header, and TCP
 *    fragments at offset 1 (8 bytes) that can overwrite the flags of the
 *    first one (RFC 1858 §3, RFC 3128 §2-3);
 *  - IPv6 packets whose upper-layer header lies beyond the walk bound, and
 *    first fragments that do not carry the whole header chain up to and
 *    including the TCP header (RFC 7112 §5 / RFC 8200 §4.5).
 * No legitimate sender produces these, so they are dropped in enforce mode.
 */
#ifndef HM_PARSE_H
#define HM_PARSE_H

struct hm_l3 {
	__u64 l3off;   /* offset of the IPv4/IPv6 header */
	__u64 l4off;   /* offset of the L4 header, valid when l4proto != 0xff */
	__u32 family;  /* 4 or 6 */
	__u32 l4proto; /* 0xff when the L4 header is absent (non-first fragment, walk cut short) */
	__u32 evasion; /* HM_EV_*: 0 for an ordinary packet */
};

#define HM_NO_L4 0xff
#define HM_EV_V4_FRAG 1   /* -> HM_CNT_V4_FRAG_EVASION */
#define HM_EV_V6_HIDDEN 2 /* -> HM_CNT_V6_L4_HIDDEN */
#define HM_PARSE_VLAN_DEEP (-2)

#define IP_MF_ 0x2000
#define IP_OFFMASK_ 0x1fff

/*
 * A first fragment claims l4len bytes of TCP (from the IP length fields,
 * not data_end: Ethernet padding is not payload). Returns 1 when that is
 * less than the whole TCP header (20 bytes, or doff * 4 with options). When
 * even the ports are missing the L4 header is marked absent.
 */
static __always_inline int hm_tcp_cut(void *data, void *end, struct hm_l3 *out, __s64 l4len)
{
	__u8 *th = data + (out->l4off & 0x3fff);

	if (l4len < 4) {
		out->l4proto = HM_NO_L4;
		return 1;
	}
	if (l4len < 20 || (void *)(th + 20) > end)
		return 1;
	return l4len < (__s64)((th[12] >> 4) * 4);
}

/* Returns 0 when an IP source address is reachable, -1 (or HM_PARSE_VLAN_DEEP) otherwise. */
static __always_inline int hm_parse(void *data, void *end, struct hm_l3 *out)
{
	struct ethhdr *eth = data;
	__u64 off = sizeof(*eth);
	__be16 proto;

	if ((void *)(eth + 1) > end)
		return -1;
	proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < HM_MAX_VLAN; i++) {
		struct hm_vlan_hdr *vh = data + off;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(vh + 1) > end)
			return -1;
		proto = vh->proto;
		off += sizeof(*vh);
	}
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD))
		return HM_PARSE_VLAN_DEEP;
	out->l3off = off;
	out->l4proto = HM_NO_L4;
	out->evasion = 0;

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = data + off;

		if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
			return -1;
		out->family = 4;
		__u16 fo = bpf_ntohs(ip->frag_off);
		__u32 hl = ip->ihl * 4;

		/* Only the first fragment carries the L4 header. */
		if ((fo & IP_OFFMASK_) == 0) {
			out->l4off = off + hl;
			out->l4proto = ip->protocol;
			if ((fo & IP_MF_) && ip->protocol == IPPROTO_TCP_ &&
			    hm_tcp_cut(data, end, out, (__s64)bpf_ntohs(ip->tot_len) - hl))
				out->evasion = HM_EV_V4_FRAG;
		} else if ((fo & IP_OFFMASK_) == 1 && ip->protocol == IPPROTO_TCP_) {
			out->evasion = HM_EV_V4_FRAG; /* RFC 1858 §3.2: drop FO=1 TCP */
		}
		return 0;
	}
	if (proto != bpf_htons(ETH_P_IPV6))
		return -1;

	struct ipv6hdr *ip6 = data + off;

	if ((void *)(ip6 + 1) > end || ip6->version != 6)
		return -1;
	out->family = 6;
	__u8 next = ip6->nexthdr;
	/* Last byte of the packet per its payload length, as an offset. */
	__u64 ipend = off + sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
	int first_frag = 0;

	off += sizeof(*ip6);
#pragma unroll
	for (int i = 0; i < HM_MAX_EXTHDR; i++) {
		struct ipv6_opt_hdr *oh = data + off;

		if (next != IPPROTO_HOPOPTS_ && next != IPPROTO_ROUTING_ &&
		    next != IPPROTO_DSTOPTS_ && next != IPPROTO_FRAGMENT_ && next != IPPROTO_AH_)
			break;
		if ((void *)(oh + 1) > end) {
			/* RFC 7112: a first fragment must hold the whole chain. */
			if (first_frag)
				out->evasion = HM_EV_V6_HIDDEN;
			return 0; /* source known; L4 unknown */
		}
		if (next == IPPROTO_FRAGMENT_) {
			struct frag_hdr *fh = data + off;

			if ((void *)(fh + 1) > end)
				return 0;
			if (fh->frag_off & bpf_htons(0xfff8))
				return 0; /* non-first fragment */
			if (fh->frag_off & bpf_htons(1))
				first_frag = 1; /* M flag: more fragments follow */
			off += sizeof(*fh);
		} else if (next == IPPROTO_AH_) {
			off += ((__u64)oh->hdrlen + 2) * 4; /* RFC 4302: 4-octet units */
		} else {
			off += ((__u64)oh->hdrlen + 1) * 8; /* RFC 8200: 8-octet units */
		}
		next = oh->nexthdr;
	}
	if (next == IPPROTO_HOPOPTS_ || next == IPPROTO_ROUTING_ || next == IPPROTO_DSTOPTS_ ||
	    next == IPPROTO_FRAGMENT_ || next == IPPROTO_AH_) {
		/* Walk bound reached: the stack will still find the L4 header. */
		out->evasion = HM_EV_V6_HIDDEN;
		return 0;
	}
	out->l4off = off;
	out->l4proto = next;
	if (first_frag && next == IPPROTO_TCP_ &&
	    hm_tcp_cut(data, end, out, (__s64)ipend - (__s64)off))
		out->evasion = HM_EV_V6_HIDDEN;
	return 0;
}

#endif
