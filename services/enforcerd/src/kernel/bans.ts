/**
 * Ban maps: exact v4/v6 hashes (batch syscalls) and CIDR LPM tries
 * (per-element: tries have no batch ops). Values are written as given —
 * enforcerd's ban store is the source of truth and sends merged reasons.
 */
import type { BpfMap } from "@honeymesh/bpf/map";
import { deleteBatch, lookupBatch, updateBatch } from "@honeymesh/bpf/map-batch";
import { formatCidr, formatIp, parseAddress, type ParsedAddress } from "@honeymesh/net/address";
import { bootNsToUnixMs, decodeBan, decodeLpmKey, encodeBan, encodeLpmKey, sampleClocks, unixMsToBootNs } from "./codec.ts";
import { BAN_F_KERNEL, BAN_SIZE, HM_BAN } from "./layout.ts";

export interface BanMaps {
  banV4: BpfMap;
  banV6: BpfMap;
  cidrV4: BpfMap;
  cidrV6: BpfMap;
}

export interface BanInput {
  address: string;
  reasons: number;
  /** Unix ms; 0 = permanent. */
  expiresAtMs: number;
}

export interface KernelBan {
  address: string;
  reasons: number;
  flags: number;
  /** Unix ms; 0 = permanent. */
  expiresAtMs: number;
}

export interface Rejected {
  address: string;
  reason: string;
}

export interface BatchOutcome {
  /** Entries written (upsert) or removed (remove). */
  count: number;
  rejected: Rejected[];
}

const CHUNK = 65_536;

function parseAll<T extends { address: string }>(items: T[], rejected: Rejected[]): Array<[T, ParsedAddress]> {
  const out: Array<[T, ParsedAddress]> = [];
  for (const it of items) {
    const p = parseAddress(it.address);
    if (p.ok) out.push([it, p.value]);
    else rejected.push({ address: it.address, reason: p.reason });
  }
  return out;
}

function exactMap(m: BanMaps, t: ParsedAddress): BpfMap {
  return t.family === 4 ? m.banV4 : m.banV6;
}

function cidrMap(m: BanMaps, t: ParsedAddress): BpfMap {
  return t.family === 4 ? m.cidrV4 : m.cidrV6;
}

/** Packed keys + values for one exact-ban map, filled in place (no per-entry objects). */
class Packed {
  n = 0;
  readonly keys: Uint8Array;
  readonly values: Uint8Array;
  readonly view: DataView;
  constructor(readonly keySize: number, capacity: number) {
    this.keys = new Uint8Array(capacity * keySize);
    this.values = new Uint8Array(capacity * BAN_SIZE);
    this.view = new DataView(this.values.buffer);
  }
  push(key: Uint8Array, reasons: number, expiresNs: bigint): void {
    this.keys.set(key, this.n * this.keySize);
    const o = this.n++ * BAN_SIZE;
    this.view.setUint32(o + HM_BAN.OFF.reasons, reasons >>> 0, true); // flags stay 0
    this.view.setBigUint64(o + HM_BAN.OFF.expires_ns, expiresNs, true);
  }
  flush(map: BpfMap): number {
    for (let i = 0; i < this.n; i += CHUNK) {
      const n = Math.min(CHUNK, this.n - i);
      updateBatch(map, this.keys.subarray(i * this.keySize, (i + n) * this.keySize), this.values.subarray(i * BAN_SIZE, (i + n) * BAN_SIZE), n);
    }
    return this.n;
  }
}

export function upsertBans(m: BanMaps, bans: BanInput[]): BatchOutcome {
  const rejected: Rejected[] = [];
  const clocks = sampleClocks();
  const v4 = new Packed(4, bans.length);
  const v6 = new Packed(16, bans.filter((b) => b.address.includes(":")).length);
  const cidrs: Array<[BanInput, ParsedAddress]> = [];
  for (const b of bans) {
    const p = parseAddress(b.address);
    if (!p.ok) {
      rejected.push({ address: b.address, reason: p.reason });
      continue;
    }
    const t = p.value;
    if (!t.exact) cidrs.push([b, t]);
    else (t.family === 4 ? v4 : v6).push(t.bytes, b.reasons, unixMsToBootNs(b.expiresAtMs, clocks));
  }
  let count = v4.flush(m.banV4) + v6.flush(m.banV6);
  for (const [b, t] of cidrs) {
    const v = encodeBan({ reasons: b.reasons, flags: 0, expiresNs: unixMsToBootNs(b.expiresAtMs, clocks) });
    cidrMap(m, t).update(encodeLpmKey(t.bytes, t.prefix), v);
    count++;
  }
  return { count, rejected };
}

export function removeBans(m: BanMaps, addresses: string[]): BatchOutcome {
  const rejected: Rejected[] = [];
  const parsed = parseAll(addresses.map((address) => ({ address })), rejected);
  let count = 0;
  for (const map of [m.banV4, m.banV6]) {
    const exact = parsed.filter(([, t]) => t.exact && exactMap(m, t) === map);
    if (exact.length === 0) continue;
    const ks = map.info.keySize;
    const keys = new Uint8Array(exact.length * ks);
    exact.forEach(([, t], j) => keys.set(t.bytes, j * ks));
    count += deleteBatch(map, keys, exact.length);
  }
  for (const [, t] of parsed) if (!t.exact && cidrMap(m, t).delete(encodeLpmKey(t.bytes, t.prefix))) count++;
  return { count, rejected };
}

/**
 * The exact bans (v4 and v6 hash maps) whose flags pass `keep`, at most `limit`, filtered while
 * decoding: only kept entries become objects.
 */
function exactBans(m: BanMaps, keep: (flags: number) => boolean, limit: number, clocks = sampleClocks()): KernelBan[] {
  const out: KernelBan[] = [];
  for (const [map, fam] of [[m.banV4, 4], [m.banV6, 6]] as const) {
    const ks = map.info.keySize;
    for (const c of lookupBatch(map)) {
      for (let i = 0; i < c.count; i++) {
        if (out.length >= limit) return out;
        const v = decodeBan(c.values, i * map.valueBytes);
        if (!keep(v.flags)) continue;
        out.push({ address: formatIp(fam, c.keys.subarray(i * ks, (i + 1) * ks)), reasons: v.reasons, flags: v.flags, expiresAtMs: bootNsToUnixMs(v.expiresNs, clocks) });
      }
    }
  }
  return out;
}

/**
 * Only the exact bans the XDP fast path made and enforcerd has not rewritten yet (flag
 * BAN_F_KERNEL; the fast path never bans a prefix): what the running sweep looks for. A
 * half-million-entry map costs objects for the flagged ones only, and at most `limit` of them.
 */
export function listKernelMadeBans(m: BanMaps, limit = Number.POSITIVE_INFINITY): KernelBan[] {
  return exactBans(m, (flags) => (flags & BAN_F_KERNEL) !== 0, limit);
}

/** Every ban in the kernel (for reconciliation with the ban store). */
export function listBans(m: BanMaps): KernelBan[] {
  const clocks = sampleClocks();
  const out = exactBans(m, () => true, Number.POSITIVE_INFINITY, clocks);
  for (const map of [m.cidrV4, m.cidrV6]) {
    for (const k of map.keys()) {
      const raw = map.lookup(k);
      if (!raw) continue; // deleted meanwhile
      const key = decodeLpmKey(k);
      const v = decodeBan(raw);
      const address = formatCidr(key.family, key.bytes, key.prefix);
      out.push({ address, reasons: v.reasons, flags: v.flags, expiresAtMs: bootNsToUnixMs(v.expiresNs, clocks) });
    }
  }
  return out;
}
