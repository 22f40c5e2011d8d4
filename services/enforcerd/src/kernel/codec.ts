/**
 * Byte layouts of map keys/values (bpf/honeymesh.h) and the clock
 * translation between unix milliseconds (the ban store) and CLOCK_BOOTTIME
 * nanoseconds (what bpf_ktime_get_boot_ns() compares against).
 */
import { bootTimeNs } from "@honeymesh/bpf/libc";
import { HM, HM_BAN, HM_CONFIG, HM_LPM_V4, HM_LPM_V6, MODE, type Mode } from "./layout.ts";
import type { Family } from "@honeymesh/net/address";

export interface BanValue {
  reasons: number;
  flags: number;
  /** CLOCK_BOOTTIME ns; 0n = permanent. */
  expiresNs: bigint;
}

const BAN = HM_BAN.OFF;

export function encodeBan(v: BanValue, out = new Uint8Array(HM_BAN.SIZE), at = 0): Uint8Array {
  const d = new DataView(out.buffer, out.byteOffset + at, HM_BAN.SIZE);
  d.setUint32(BAN.reasons, v.reasons >>> 0, true);
  d.setUint32(BAN.flags, v.flags >>> 0, true);
  d.setBigUint64(BAN.expires_ns, v.expiresNs, true);
  return out;
}

export function decodeBan(b: Uint8Array, at = 0): BanValue {
  const d = new DataView(b.buffer, b.byteOffset + at, HM_BAN.SIZE);
  return { reasons: d.getUint32(BAN.reasons, true), flags: d.getUint32(BAN.flags, true), expiresNs: d.getBigUint64(BAN.expires_ns, true) };
}

/** struct hm_lpm_v4/v6 { u32 prefixlen (host order); u8 addr[4|16]; } */
const lpmLayout = (addrLen: number) => (addrLen === HM_LPM_V4.LEN.addr ? HM_LPM_V4 : HM_LPM_V6);

export function encodeLpmKey(bytes: Uint8Array, prefix: number): Uint8Array {
  const l = lpmLayout(bytes.length);
  const k = new Uint8Array(l.SIZE);
  new DataView(k.buffer).setUint32(l.OFF.prefixlen, prefix, true);
  k.set(bytes.subarray(0, l.LEN.addr), l.OFF.addr);
  return k;
}

export function decodeLpmKey(k: Uint8Array): { family: Family; bytes: Uint8Array; prefix: number } {
  const l = k.length === HM_LPM_V4.SIZE ? HM_LPM_V4 : HM_LPM_V6;
  const prefix = new DataView(k.buffer, k.byteOffset, l.SIZE).getUint32(l.OFF.prefixlen, true);
  return { family: l === HM_LPM_V4 ? 4 : 6, bytes: k.slice(l.OFF.addr, l.OFF.addr + l.LEN.addr), prefix };
}

/** A clock pair sampled together so a batch uses one consistent offset. */
export interface ClockPair {
  unixMs: number;
  bootNs: bigint;
}

export function sampleClocks(): ClockPair {
  return { unixMs: Date.now(), bootNs: bootTimeNs() };
}

/** Unix ms -> boottime ns; 0 stays 0 (permanent); a past time becomes an already-expired, non-zero value. */
export function unixMsToBootNs(expiresAtMs: number, c: ClockPair): bigint {
  if (expiresAtMs === 0) return 0n;
  const ns = c.bootNs + BigInt(Math.round(expiresAtMs - c.unixMs)) * 1_000_000n;
  return ns > 0n ? ns : 1n;
}

export function bootNsToUnixMs(expiresNs: bigint, c: ClockPair): number {
  if (expiresNs === 0n) return 0;
  return c.unixMs + Number((expiresNs - c.bootNs) / 1_000_000n);
}

export interface KernelConfig {
  mode: Mode;
  scanThreshold: number;
  scanWindowNs: bigint;
  /** The XDP program bans a source itself when it crosses the threshold (enforce mode only). Absent = off. */
  fastPath?: boolean;
  /** TTL of a fast-path ban in seconds; 0 or absent = the kernel's default (HM_DEFAULT_FAST_BAN_TTL_S). */
  fastBanTtlS?: number;
}

const CONF = HM_CONFIG.OFF;

export function encodeConfig(c: KernelConfig): Uint8Array {
  const b = new Uint8Array(HM_CONFIG.SIZE);
  const d = new DataView(b.buffer);
  d.setUint32(CONF.mode, MODE[c.mode], true);
  d.setUint32(CONF.scan_threshold, c.scanThreshold, true);
  d.setBigUint64(CONF.scan_window_ns, c.scanWindowNs, true);
  d.setUint32(CONF.flags, c.fastPath ? HM.CFG_FAST_PATH : 0, true);
  d.setUint32(CONF.fast_ban_ttl_s, c.fastBanTtlS ?? 0, true);
  return b;
}

export function decodeConfig(b: Uint8Array): KernelConfig {
  const d = new DataView(b.buffer, b.byteOffset, HM_CONFIG.SIZE);
  const m = d.getUint32(CONF.mode, true);
  const mode = (Object.keys(MODE) as Mode[]).find((k) => MODE[k] === m) ?? "test";
  return {
    mode,
    scanThreshold: d.getUint32(CONF.scan_threshold, true),
    scanWindowNs: d.getBigUint64(CONF.scan_window_ns, true),
    fastPath: (d.getUint32(CONF.flags, true) & HM.CFG_FAST_PATH) !== 0,
    fastBanTtlS: d.getUint32(CONF.fast_ban_ttl_s, true),
  };
}
