/**
 * Names and constants of the kernel ABI used by enforcerd. Every number here
 * comes from abi.generated.ts, generated from bpf/honeymesh.h and the BTF of
 * the built object (`make -C bpf abi`); only names are written by hand.
 */
import { CNT, HM, HM_BAN, HM_CONFIG, HM_COUNTERS_VAL, HM_LPM_V4, HM_LPM_V6, HM_SCAN_EVENT } from "./abi.generated.ts";
import { REASON_NAMES, type ReasonName } from "@honeymesh/ban/reasons";

export { CNT, HM, HM_BAN, HM_CONFIG, HM_COUNTERS_VAL, HM_LPM_V4, HM_LPM_V6, HM_SCAN_EVENT };

export const OBJECT_FILE = "honeymesh.bpf.o";
export const PROGRAM = "hm_xdp";

export const MAPS = {
  banV4: "hm_ban_v4",
  banV6: "hm_ban_v6",
  cidrV4: "hm_cidr_v4",
  cidrV6: "hm_cidr_v6",
  allowV4: "hm_allow_v4",
  allowV6: "hm_allow_v6",
  protectV4: "hm_protect_v4",
  protectV6: "hm_protect_v6",
  config: "hm_config",
  counters: "hm_counters",
  scanV4: "hm_scan_v4",
  scanV6: "hm_scan_v6",
  events: "hm_events",
} as const;

export const MODE = { test: HM.MODE_TEST, enforce: HM.MODE_ENFORCE, lockdown: HM.MODE_LOCKDOWN } as const;
export type Mode = keyof typeof MODE;

/** DESIGN §3 reason bits; bit i is counter slot base + i. abi.test.ts checks the count against HM_REASON_BITS. */
export const REASONS = REASON_NAMES;
export type { ReasonName };
export const REASON_BITS = REASONS.length;

export const DEFAULT_SCAN_THRESHOLD = HM.DEFAULT_SCAN_THRESHOLD;
export const DEFAULT_SCAN_WINDOW_NS = BigInt(HM.DEFAULT_SCAN_WINDOW_NS);
export const SCAN_FIRST_PORTS = HM.SCAN_FIRST_PORTS;
export const MAX_VLAN = HM.MAX_VLAN;
export const MAX_EXTHDR = HM.MAX_EXTHDR;

export const BAN_MAX_ENTRIES = HM.BAN_MAX_ENTRIES;
export const CIDR_MAX_ENTRIES = HM.CIDR_MAX_ENTRIES;
export const ALLOW_MAX_ENTRIES = HM.ALLOW_MAX_ENTRIES;

/** hm_ban.flags: the fast path installed this entry and enforcerd has not recorded it yet. */
export const BAN_F_KERNEL = HM.BAN_F_KERNEL;
/** hm_scan_event.flags: the fast path banned the source along with this event. */
export const EV_F_BANNED = HM.EV_F_BANNED;
export const DEFAULT_FAST_BAN_TTL_S = HM.DEFAULT_FAST_BAN_TTL_S;
export const PROTECT_MAX_ENTRIES = HM.PROTECT_MAX_ENTRIES;

export const BAN_SIZE = HM_BAN.SIZE;
export const CONFIG_SIZE = HM_CONFIG.SIZE;
export const SCAN_EVENT_SIZE = HM_SCAN_EVENT.SIZE;
