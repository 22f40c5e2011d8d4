/** Named view of hm_counters, summed over every possible CPU. */
import { CNT, REASONS, type ReasonName } from "./layout.ts";

export interface KernelCounters {
  passed: bigint;
  dropped: bigint;
  droppedByReason: Record<ReasonName, bigint>;
  wouldDrop: bigint;
  wouldDropByReason: Record<ReasonName, bigint>;
  lockdownDropped: bigint;
  /** Passed only because the allowlist overrode a ban or lockdown. */
  allowlistPassed: bigint;
  synSeen: bigint;
  unparsedPassed: bigint;
  scanEvents: bigint;
  ringbufFull: bigint;
  expiredPassed: bigint;
  /** IPv4 TCP tiny first / offset-1 fragments from non-allowlisted sources (RFC 1858, RFC 3128). */
  v4FragEvasion: bigint;
  /** IPv6 packets whose TCP header lies beyond the header walk or is cut from the first fragment (RFC 7112). */
  v6L4Hidden: bigint;
  /** Frames with more VLAN tags than the parser follows; passed without a source. */
  vlanDeep: bigint;
}

/** Each of `slots` u64 counters summed over a per-CPU value buffer (slots per CPU, CPU after CPU). */
export function sumPerCpu(raw: Uint8Array, slots: number): bigint[] {
  const all = new BigUint64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
  const sum = new Array<bigint>(slots).fill(0n);
  for (let i = 0; i < all.length; i++) sum[i % slots]! += all[i]!;
  return sum;
}

/** `raw` is the per-CPU value buffer: CNT.MAX u64 slots per CPU, CPU after CPU. */
export function decodeCounters(raw: Uint8Array): KernelCounters {
  const sum = sumPerCpu(raw, CNT.MAX);
  const at = (i: number) => sum[i] ?? 0n;
  const byReason = (base: number) =>
    Object.fromEntries(REASONS.map((r, i) => [r, at(base + i)])) as Record<ReasonName, bigint>;
  return {
    passed: at(CNT.PASSED),
    dropped: at(CNT.DROPPED),
    droppedByReason: byReason(CNT.DROP_REASON),
    wouldDrop: at(CNT.WOULD_DROP),
    wouldDropByReason: byReason(CNT.WOULD_REASON),
    lockdownDropped: at(CNT.LOCKDOWN_DROP),
    allowlistPassed: at(CNT.ALLOW_PASS),
    synSeen: at(CNT.SYN_SEEN),
    unparsedPassed: at(CNT.UNPARSED_PASS),
    scanEvents: at(CNT.SCAN_EVENTS),
    ringbufFull: at(CNT.RINGBUF_FULL),
    expiredPassed: at(CNT.EXPIRED_PASS),
    v4FragEvasion: at(CNT.V4_FRAG_EVASION),
    v6L4Hidden: at(CNT.V6_L4_HIDDEN),
    vlanDeep: at(CNT.VLAN_DEEP),
  };
}
