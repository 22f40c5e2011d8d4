/*
 * GENERATED from bpf/honeymesh.h (#defines) and the BTF of bpf/build/honeymesh.bpf.o
 * (struct sizes and field offsets) by scripts/kernel-abi. Do not edit: run `make -C bpf abi`.
 * services/enforcerd/src/kernel/abi.test.ts fails when this file is stale.
 */

/** Integer #defines of bpf/honeymesh.h without the HM_ prefix (counter slots are in CNT). */
export const HM = {
  MODE_TEST: 0,
  MODE_ENFORCE: 1,
  MODE_LOCKDOWN: 2,
  REASON_BITS: 7,
  REASON_SCAN: 2,
  CFG_FAST_PATH: 1,
  BAN_F_KERNEL: 1,
  EV_F_BANNED: 1,
  GCNT_ESTABLISHED: 0,
  GCNT_ALLOWED: 1,
  GCNT_REPORTS: 2,
  GCNT_RINGBUF_FULL: 3,
  GCNT_MAX: 4,
  MAX_VLAN: 2,
  MAX_EXTHDR: 6,
  DEFAULT_SCAN_THRESHOLD: 3,
  DEFAULT_SCAN_WINDOW_NS: 60000000000,
  DEFAULT_FAST_BAN_TTL_S: 600,
  SCAN_BITMAP_WORDS: 16,
  SCAN_FIRST_PORTS: 8,
  BAN_MAX_ENTRIES: 1048576,
  CIDR_MAX_ENTRIES: 262144,
  ALLOW_MAX_ENTRIES: 16384,
  PROTECT_MAX_ENTRIES: 16384,
  SCAN_MAX_SOURCES: 65536,
  EVENTS_BYTES: 262144,
  GUARD_MAX_PORTS: 64,
  GUARD_MAX_SOURCES: 65536,
  GUARD_EVENTS_BYTES: 65536,
  DEFAULT_GUARD_WINDOW_S: 60,
} as const;

/** hm_counters slots (HM_CNT_*): index of a u64 in struct hm_counters_val, per CPU. */
export const CNT = {
  PASSED: 0,
  DROPPED: 1,
  DROP_REASON: 2,
  WOULD_REASON: 9,
  WOULD_DROP: 16,
  LOCKDOWN_DROP: 17,
  ALLOW_PASS: 18,
  SYN_SEEN: 19,
  UNPARSED_PASS: 20,
  SCAN_EVENTS: 21,
  RINGBUF_FULL: 22,
  EXPIRED_PASS: 23,
  V4_FRAG_EVASION: 24,
  V6_L4_HIDDEN: 25,
  VLAN_DEEP: 26,
  MAX: 27,
} as const;

/** struct hm_ban: 16 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_BAN = {
  SIZE: 16,
  OFF: {
    reasons: 0,
    flags: 4,
    expires_ns: 8,
  },
  LEN: {},
} as const;

/** struct hm_config: 24 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_CONFIG = {
  SIZE: 24,
  OFF: {
    mode: 0,
    scan_threshold: 4,
    scan_window_ns: 8,
    flags: 16,
    fast_ban_ttl_s: 20,
  },
  LEN: {},
} as const;

/** struct hm_lpm_v4: 8 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_LPM_V4 = {
  SIZE: 8,
  OFF: {
    prefixlen: 0,
    addr: 4,
  },
  LEN: {
    addr: 4,
  },
} as const;

/** struct hm_lpm_v6: 20 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_LPM_V6 = {
  SIZE: 20,
  OFF: {
    prefixlen: 0,
    addr: 4,
  },
  LEN: {
    addr: 16,
  },
} as const;

/** struct hm_scan_state: 160 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_SCAN_STATE = {
  SIZE: 160,
  OFF: {
    window_start_ns: 0,
    bitmap: 8,
    count: 136,
    _pad: 140,
    ports: 144,
  },
  LEN: {
    bitmap: 16,
    ports: 8,
  },
} as const;

/** struct hm_scan_event: 56 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_SCAN_EVENT = {
  SIZE: 56,
  OFF: {
    src: 0,
    family: 16,
    port_count: 20,
    ports: 24,
    ts_ns: 40,
    flags: 48,
    _pad: 52,
  },
  LEN: {
    src: 16,
    ports: 8,
  },
} as const;

/** struct hm_counters_val: 216 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_COUNTERS_VAL = {
  SIZE: 216,
  OFF: {
    c: 0,
  },
  LEN: {
    c: 27,
  },
} as const;

/** struct hm_guard_config: 16 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_GUARD_CONFIG = {
  SIZE: 16,
  OFF: {
    max_new: 0,
    window_s: 4,
    netns_ino: 8,
    _pad: 12,
  },
  LEN: {},
} as const;

/** struct hm_guard_state: 16 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_GUARD_STATE = {
  SIZE: 16,
  OFF: {
    window_start_ns: 0,
    count: 8,
    _pad: 12,
  },
  LEN: {},
} as const;

/** struct hm_guard_event: 40 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_GUARD_EVENT = {
  SIZE: 40,
  OFF: {
    src: 0,
    family: 16,
    port: 20,
    _pad: 22,
    count: 24,
    window_s: 28,
    ts_ns: 32,
  },
  LEN: {
    src: 16,
  },
} as const;

/** struct hm_guard_counters_val: 32 bytes. OFF = byte offset of each field, LEN = element count of array fields. */
export const HM_GUARD_COUNTERS_VAL = {
  SIZE: 32,
  OFF: {
    c: 0,
  },
  LEN: {
    c: 4,
  },
} as const;
