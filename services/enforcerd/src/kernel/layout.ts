/**
 * Mirror of bpf/honeymesh.h (the kernel ABI). layout.test.ts parses the
 * header and fails when a value here drifts from it.
 */

export const OBJECT_FILE = "honeymesh.bpf.o";
export const PROGRAM = "hm_xdp";

export const MAPS = {
  banV4: "hm_ban_v4",
  banV6: "hm_ban_v6",
  cidrV4: "hm_cidr_v4",
  cidrV6: "hm_cidr_v6",
  allowV4: "hm_allow_v4",
  allowV6: "hm_allow_v6",
  config: "hm_config",
  counters: "hm_counters",
  scanV4: "hm_scan_v4",
  scanV6: "hm_scan_v6",
  events: "hm_events",
} as const;

export const MODE = { test: 0, enforce: 1, lockdown: 2 } as const;
export type Mode = keyof typeof MODE;

/** DESIGN §3 reason bits; bit i is counter slot base + i. */
export const REASONS = ["TRAP", "SCAN", "MESH", "MANUAL", "ENTROPY", "BRUTEFORCE", "EXTERNAL"] as const;
export type ReasonName = (typeof REASONS)[number];
export const REASON_BITS = REASONS.length;

/** Slots of the single hm_counters element (u64 each, per CPU). */
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
  MAX: 24,
} as const;

export const DEFAULT_SCAN_THRESHOLD = 3;
export const DEFAULT_SCAN_WINDOW_NS = 60_000_000_000n;
export const SCAN_FIRST_PORTS = 8;

export const BAN_MAX_ENTRIES = 1_048_576;
export const CIDR_MAX_ENTRIES = 262_144;
export const ALLOW_MAX_ENTRIES = 16_384;

/** struct hm_ban { u32 reasons; u32 flags; u64 expires_ns; } */
export const BAN_SIZE = 16;
/** struct hm_config { u32 mode; u32 scan_threshold; u64 scan_window_ns; u32 flags; u32 _pad; } */
export const CONFIG_SIZE = 24;
/** struct hm_scan_event { u8 src[16]; u32 family; u32 port_count; u16 ports[8]; u64 ts_ns; } */
export const SCAN_EVENT_SIZE = 48;
