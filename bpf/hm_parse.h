/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Header parsing: Ethernet, up to two VLAN tags (802.1Q / 802.1ad), IPv4
 * (options skipped via ihl), IPv6 with a bounded extension-header walk.
 * Offsets, not pointers, are returned; callers re-check bounds.
 */
#ifndef HM_PARSE_H
#define HM_PARSE_H

struct hm_l3 {
	__u64 l3off;   /* offset of the IPv4/IPv6 header */
	__u64 l4off;   /* offset of the L4 header, valid when l4proto != 0xff */
	__u32 family;  /* 4 or 6 */
	__u32 l4proto; /* 0xff when the L4 header is absent (non-first fragment, walk cut short) */
};

#define HM_NO_L4 0xff

/* Returns 0 when an IP source address is reachable, -1 otherwise. */
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
	out->l3off = off;
	out->l4proto = HM_NO_L4;

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = data + off;

		if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
			return -1;
		out->family = 4;
		/* Only the first fragment carries the L4 header. */
		if ((ip->frag_off & bpf_htons(0x1fff)) == 0) {
			out->l4off = off + ip->ihl * 4;
			out->l4proto = ip->protocol;
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

	off += sizeof(*ip6);
#pragma unroll
	for (int i = 0; i < HM_MAX_EXTHDR; i++) {
		struct ipv6_opt_hdr *oh = data + off;

		if (next != IPPROTO_HOPOPTS_ && next != IPPROTO_ROUTING_ &&
		    next != IPPROTO_DSTOPTS_ && next != IPPROTO_FRAGMENT_ && next != IPPROTO_AH_)
			break;
		if ((void *)(oh + 1) > end)
			return 0; /* source known; L4 unknown */
		if (next == IPPROTO_FRAGMENT_) {
			struct frag_hdr *fh = data + off;

			if ((void *)(fh + 1) > end)
				return 0;
			if (fh->frag_off & bpf_htons(0xfff8))
				return 0; /* non-first fragment */
			off += sizeof(*fh);
		} else if (next == IPPROTO_AH_) {
			off += ((__u64)oh->hdrlen + 2) * 4; /* RFC 4302: 4-octet units */
		} else {
			off += ((__u64)oh->hdrlen + 1) * 8; /* RFC 8200: 8-octet units */
		}
		next = oh->nexthdr;
	}
	if (next == IPPROTO_HOPOPTS_ || next == IPPROTO_ROUTING_ || next == IPPROTO_DSTOPTS_ ||
	    next == IPPROTO_FRAGMENT_ || next == IPPROTO_AH_)
		return 0; /* walk bound reached */
	out->l4off = off;
	out->l4proto = next;
	return 0;
}

#endif
