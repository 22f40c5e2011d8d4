/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Vertical-scan tracking: distinct destination ports per source within a
 * window. Exactly one CPU observes count == threshold (atomic fetch-add),
 * so at most one event leaves per source per window, never one per packet.
 *
 * A probe whose port the sender hid (hidden != 0: evasive fragments or
 * header chains, hm_parse.h) skips the distinct-port filter and counts as
 * one more probe each time, recorded as port 0: it cannot be told apart
 * from the previous one, and no legitimate sender produces it.
 */
#ifndef HM_SCAN_H
#define HM_SCAN_H

/* One source's maps and keys for one family. key is the exact ban/scan map
 * key (the address), lpm_key the same address as a full-length LPM key. */
struct hm_track {
	void *scan_map;
	void *ban_map;
	void *protect_map;
	const void *key;
	const __u8 *src16;
	const void *lpm_key;
};

/*
 * The fast path (issue 17): in enforce mode with HM_CFG_FAST_PATH set, the
 * crossing installs a SCAN ban of fast_ban_ttl_s itself, flagged
 * HM_BAN_F_KERNEL, so the source's next packet is dropped without waiting
 * for userspace. The caller has already excluded allowlisted sources; the
 * protected set is checked here (it is only looked up at a crossing). A
 * live entry is never overwritten (a concurrent enforcerd write wins).
 * Userspace stays the single writer of the ban store: the event says the
 * ban exists and enforcerd records it. When the ring is full the ban is
 * still installed (a storm is when it matters most) and the loss counted:
 * enforcerd then sweeps the ban map for flagged entries it has not recorded
 * (kernel-ban-sweep.ts), and adopts any left at start (reconcile.ts).
 */
static __always_inline __u32 hm_fast_ban(const struct hm_track *t, const struct hm_config *cfg,
					 __u64 now)
{
	if (!(cfg->flags & HM_CFG_FAST_PATH) || cfg->mode != HM_MODE_ENFORCE)
		return 0;
	if (bpf_map_lookup_elem(t->protect_map, t->lpm_key))
		return 0;
	struct hm_ban *old = bpf_map_lookup_elem(t->ban_map, t->key);

	if (old && (!old->expires_ns || old->expires_ns > now))
		return 0;
	__u32 ttl = cfg->fast_ban_ttl_s ? cfg->fast_ban_ttl_s : HM_DEFAULT_FAST_BAN_TTL_S;
	struct hm_ban b = {
		.reasons = HM_REASON_SCAN,
		.flags = HM_BAN_F_KERNEL,
		.expires_ns = now + (__u64)ttl * 1000000000ULL,
	};

	return bpf_map_update_elem(t->ban_map, t->key, &b, BPF_ANY) == 0 ? HM_EV_F_BANNED : 0;
}

/*
 * Not inlined on purpose: a BPF subprogram's argument types go into the
 * object's BTF, which is where the userspace layout of struct hm_scan_event
 * is generated from (scripts/kernel-abi). Runs once per source and window.
 */
static __noinline void hm_event_fill(struct hm_scan_event *ev, const struct hm_scan_state *st,
				     const __u8 *src16)
{
	__builtin_memcpy(ev->src, src16, 16);
#pragma unroll
	for (int i = 0; i < HM_SCAN_FIRST_PORTS; i++)
		ev->ports[i] = st->ports[i];
}

static __always_inline void hm_scan_track(const struct hm_track *t, __u32 family, __u16 port,
					  int hidden, const struct hm_config *cfg, __u64 *c)
{
	void *map = t->scan_map;
	const void *key = t->key;
	__u64 now = bpf_ktime_get_boot_ns();
	__u64 window = cfg->scan_window_ns ? cfg->scan_window_ns : HM_DEFAULT_SCAN_WINDOW_NS;
	__u32 thr = cfg->scan_threshold ? cfg->scan_threshold : HM_DEFAULT_SCAN_THRESHOLD;
	struct hm_scan_state *st = bpf_map_lookup_elem(map, key);

	if (!st) {
		struct hm_scan_state init = { .window_start_ns = now };

		bpf_map_update_elem(map, key, &init, BPF_NOEXIST);
		st = bpf_map_lookup_elem(map, key);
		if (!st)
			return;
	}
	if (now - st->window_start_ns > window) {
		/* New window. A concurrent reset on another CPU can at worst
		 * lose or double one port; it cannot emit twice in a window. */
		st->window_start_ns = now;
#pragma unroll
		for (int i = 0; i < HM_SCAN_BITMAP_WORDS; i++)
			st->bitmap[i] = 0;
		st->count = 0;
	}
	/* Identity bucket (port mod 1024): consecutive ports never collide. */
	if (!hidden) {
		__u32 h = port & (HM_SCAN_BITMAP_WORDS * 64 - 1);
		__u64 bit = 1ULL << (h & 63);
		__u64 old = __sync_fetch_and_or(&st->bitmap[(h >> 6) & (HM_SCAN_BITMAP_WORDS - 1)],
						bit);

		if (old & bit)
			return;
	}
	__u32 n = __sync_fetch_and_add(&st->count, 1) + 1;

	if (n <= HM_SCAN_FIRST_PORTS)
		st->ports[(n - 1) & (HM_SCAN_FIRST_PORTS - 1)] = port;
	if (n != thr)
		return;

	__u32 banned = hm_fast_ban(t, cfg, now);
	struct hm_scan_event *ev = bpf_ringbuf_reserve(&hm_events, sizeof(*ev), 0);

	if (!ev) {
		/* Counted: the sweep in enforcerd keys off this counter. */
		c[HM_CNT_RINGBUF_FULL]++;
		return;
	}
	hm_event_fill(ev, st, t->src16);
	ev->family = family;
	ev->port_count = n;
	ev->ts_ns = now;
	ev->flags = banned;
	ev->_pad = 0;
	bpf_ringbuf_submit(ev, 0);
	c[HM_CNT_SCAN_EVENTS]++;
}

#endif
