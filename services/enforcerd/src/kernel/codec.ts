/**
 * Byte layouts of map keys/values (bpf/honeymesh.h) and the clock
 * translation between unix milliseconds (the ban store) and CLOCK_BOOTTIME
 * nanoseconds (what bpf_ktime_get_boot_ns() compares against).
 */
import { bootTimeNs } from "@honeymesh/bpf/libc";
import { BAN_SIZE, CONFIG_SIZE, MODE, type Mode } from "./layout.ts";
import type { Family } from "@honeymesh/net/address";

export interface BanValue {
  reasons: number;
  flags: number;
  /** CLOCK_BOOTTIME ns; 0n = permanent. */
  expiresNs: bigint;
}

export function encodeBan(v: BanValue, out = new Uint8Array(BAN_SIZE), at = 0): Uint8Array {
  const d = new DataView(out.buffer, out.byteOffset + at, BAN_SIZE);
  d.setUint32(0, v.reasons >>> 0, true);
  d.setUint32(4, v.flags >>> 0, true);
  d.setBigUint64(8, v.expiresNs, true);
  return out;
}

export function decodeBan(b: Uint8Array, at = 0): BanValue {
  const d = new DataView(b.buffer, b.byteOffset + at, BAN_SIZE);
  return { reasons: d.getUint32(0, true), flags: d.getUint32(4, true), expiresNs: d.getBigUint64(8, true) };
}

/** struct hm_lpm_v4/v6 { u32 prefixlen (host order); u8 addr[4|16]; } */
export function encodeLpmKey(bytes: Uint8Array, prefix: number): Uint8Array {
  const k = new Uint8Array(4 + bytes.length);
  new DataView(k.buffer).setUint32(0, prefix, true);
  k.set(bytes, 4);
  return k;
}

export function decodeLpmKey(k: Uint8Array): { family: Family; bytes: Uint8Array; prefix: number } {
  const prefix = new DataView(k.buffer, k.byteOffset, 4).getUint32(0, true);
  return { family: k.length === 8 ? 4 : 6, bytes: k.slice(4), prefix };
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
}

export function encodeConfig(c: KernelConfig): Uint8Array {
  const b = new Uint8Array(CONFIG_SIZE);
  const d = new DataView(b.buffer);
  d.setUint32(0, MODE[c.mode], true);
  d.setUint32(4, c.scanThreshold, true);
  d.setBigUint64(8, c.scanWindowNs, true);
  return b;
}

export function decodeConfig(b: Uint8Array): KernelConfig {
  const d = new DataView(b.buffer, b.byteOffset, CONFIG_SIZE);
  const m = d.getUint32(0, true);
  const mode = (Object.keys(MODE) as Mode[]).find((k) => MODE[k] === m) ?? "test";
  return { mode, scanThreshold: d.getUint32(4, true), scanWindowNs: d.getBigUint64(8, true) };
}
