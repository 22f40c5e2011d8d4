/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * HoneyMesh kernel ABI: map value layouts and counter indices shared by
 * honeymesh.bpf.c and enforcerd. This header is the one source: after a
 * change run `make -C bpf abi`, which regenerates
 * services/enforcerd/src/kernel/abi.generated.ts from the #defines here and
 * from the BTF (sizes, field offsets) of build/honeymesh.bpf.o;
 * services/enforcerd/src/kernel/abi.test.ts fails while it is stale.
 */
#ifndef HONEYMESH_H
#define HONEYMESH_H

/* hm_config.mode */
#define HM_MODE_TEST 0
#define HM_MODE_ENFORCE 1
#define HM_MODE_LOCKDOWN 2

/* Reason bits (DESIGN §3). Bit i maps to counter slot base + i. */
#define HM_REASON_BITS 7
#define HM_REASON_SCAN 2 /* SCAN's mask (bit 1): what a fast-path ban carries */

/* hm_config.flags */
#define HM_CFG_FAST_PATH 1 /* the program bans a source itself when it crosses the scan threshold */

/* hm_ban.flags */
#define HM_BAN_F_KERNEL 1 /* installed by the fast path, not yet recorded by enforcerd */

/* hm_scan_event.flags */
#define HM_EV_F_BANNED 1 /* the fast path installed a ban for src along with this event */

/* hm_counters indices (PERCPU_ARRAY, __u64 per CPU) */
#define HM_CNT_PASSED 0          /* every packet that left with XDP_PASS */
#define HM_CNT_DROPPED 1         /* every packet that left with XDP_DROP */
#define HM_CNT_DROP_REASON 2     /* 2..8: drops per reason bit (TRAP..EXTERNAL) */
#define HM_CNT_WOULD_REASON 9    /* 9..15: test-mode would-drops per reason bit */
#define HM_CNT_WOULD_DROP 16     /* test-mode would-drops (any reason) */
#define HM_CNT_LOCKDOWN_DROP 17  /* lockdown drops of non-banned sources */
#define HM_CNT_ALLOW_PASS 18     /* passed only because allowlisted (ban or lockdown overridden) */
#define HM_CNT_SYN_SEEN 19       /* TCP SYN (no ACK) seen */
#define HM_CNT_UNPARSED_PASS 20  /* non-IP or truncated frames passed */
#define HM_CNT_SCAN_EVENTS 21    /* scan events written to hm_events */
#define HM_CNT_RINGBUF_FULL 22   /* scan events lost: ring buffer full */
#define HM_CNT_EXPIRED_PASS 23   /* matched a ban whose expiry had passed */
#define HM_CNT_V4_FRAG_EVASION 24 /* IPv4 TCP tiny first / offset-1 fragments, non-allowlisted (RFC 1858, 3128) */
#define HM_CNT_V6_L4_HIDDEN 25   /* IPv6 TCP/L4 header beyond the walk or cut from the first fragment (RFC 7112) */
#define HM_CNT_VLAN_DEEP 26      /* more than HM_MAX_VLAN tags: passed, source unknown */
#define HM_CNT_MAX 27

/* hm_guard_counters indices: a map of its own, so that the connection guard
 * left the layout of hm_counters (pinned by nodes already running) as it was. */
#define HM_GCNT_ESTABLISHED 0   /* completed handshakes to guarded ports (hm_guard.h) */
#define HM_GCNT_ALLOWED 1       /* ... of them from allowlisted sources, not counted */
#define HM_GCNT_REPORTS 2       /* sources reported over max_new in a window */
#define HM_GCNT_RINGBUF_FULL 3  /* reports lost: ring buffer full */
#define HM_GCNT_MAX 4

/* Parser bounds (hm_parse.h). */
#define HM_MAX_VLAN 2
#define HM_MAX_EXTHDR 6

/* Defaults when hm_config fields are zero (DESIGN §3: >= 3 ports). */
#define HM_DEFAULT_SCAN_THRESHOLD 3
#define HM_DEFAULT_SCAN_WINDOW_NS (60ULL * 1000000000ULL)
/* [scan] unverified_ttl_s: a fast-path ban rests on spoofable SYNs alone. */
#define HM_DEFAULT_FAST_BAN_TTL_S 600

/* Scan tracking: distinct ports are a 1024-bit bitmap (a 1-hash bloom
 * filter, so a count can only undercount); the first ports are kept
 * verbatim for the event. */
#define HM_SCAN_BITMAP_WORDS 16
#define HM_SCAN_FIRST_PORTS 8

/* Map sizes */
#define HM_BAN_MAX_ENTRIES 1048576
#define HM_CIDR_MAX_ENTRIES 262144
#define HM_ALLOW_MAX_ENTRIES 16384
#define HM_PROTECT_MAX_ENTRIES 16384
#define HM_SCAN_MAX_SOURCES 65536
#define HM_EVENTS_BYTES (256 * 1024)
#define HM_GUARD_MAX_PORTS 64
#define HM_GUARD_MAX_SOURCES 65536
#define HM_GUARD_EVENTS_BYTES (64 * 1024)
#define HM_DEFAULT_GUARD_WINDOW_S 60

struct hm_ban {
	__u32 reasons;
	__u32 flags;
	__u64 expires_ns; /* CLOCK_BOOTTIME ns; 0 = permanent */
};

struct hm_config {
	__u32 mode;
	__u32 scan_threshold; /* 0 = HM_DEFAULT_SCAN_THRESHOLD */
	__u64 scan_window_ns; /* 0 = HM_DEFAULT_SCAN_WINDOW_NS */
	__u32 flags;          /* HM_CFG_* */
	__u32 fast_ban_ttl_s; /* 0 = HM_DEFAULT_FAST_BAN_TTL_S */
};

struct hm_lpm_v4 {
	__u32 prefixlen;
	__u8 addr[4];
};

struct hm_lpm_v6 {
	__u32 prefixlen;
	__u8 addr[16];
};

struct hm_scan_state {
	__u64 window_start_ns;
	__u64 bitmap[HM_SCAN_BITMAP_WORDS];
	__u32 count;
	__u32 _pad;
	__u16 ports[HM_SCAN_FIRST_PORTS];
};

/* Ring buffer record; 56 bytes. src is an IPv4-mapped IPv6 for family 4.
 * A port of 0 in ports[] stands for a probe whose port the sender hid
 * (evasive fragments / header chains, see hm_parse.h). */
struct hm_scan_event {
	__u8 src[16];
	__u32 family; /* 4 or 6 */
	__u32 port_count;
	__u16 ports[HM_SCAN_FIRST_PORTS]; /* network order converted to host */
	__u64 ts_ns; /* CLOCK_BOOTTIME ns */
	__u32 flags; /* HM_EV_F_* */
	__u32 _pad;
};

/* The connection guard (hm_guard.h). max_new = 0 turns it off. */
struct hm_guard_config {
	__u32 max_new;   /* completed handshakes per source per window before a report */
	__u32 window_s;  /* 0 = HM_DEFAULT_GUARD_WINDOW_S */
	__u32 netns_ino; /* only sockets of this network namespace count */
	__u32 _pad;
};

struct hm_guard_counters_val {
	__u64 c[HM_GCNT_MAX];
};

struct hm_guard_state {
	__u64 window_start_ns; /* CLOCK_BOOTTIME */
	__u32 count;
	__u32 _pad;
};

/* Ring buffer record of hm_guard_events; 40 bytes. src as in hm_scan_event. */
struct hm_guard_event {
	__u8 src[16];
	__u32 family; /* 4 or 6 */
	__u16 port;   /* the guarded local port, host order */
	__u16 _pad;
	__u32 count;  /* completed handshakes in the window when reported */
	__u32 window_s;
	__u64 ts_ns;  /* CLOCK_BOOTTIME ns */
};

#endif
