/**
 * The kernel side of the connection guard (bpf/hm_guard.h): its settings, its ports, its
 * counters and the decoding of its reports. The tp_btf program itself is attached by
 * KernelEnforcer.attachGuard().
 */
import { statSync } from "node:fs";
import { formatIp, type Family } from "@honeymesh/net/address";
import type { BpfMap } from "@honeymesh/bpf/map";
import { bootNsToUnixMs, type ClockPair } from "./codec.ts";
import { sumPerCpu } from "./counters.ts";
import { HM, HM_GUARD_CONFIG, HM_GUARD_EVENT } from "./abi.generated.ts";

export const GUARD_PROGRAM = "hm_guard";
export const GUARD_MAPS = { config: "hm_guard_config", ports: "hm_guard_ports", events: "hm_guard_events", counters: "hm_guard_counters" } as const;
export const GUARD_MAX_PORTS = HM.GUARD_MAX_PORTS;

export interface GuardSettings {
  /** Guarded local ports; empty turns the guard off. */
  ports: readonly number[];
  /** Completed handshakes per source per window before a report. */
  maxNew: number;
  windowS: number;
  /** Only sockets of this network namespace count (the inode of /proc/self/ns/net). */
  netnsIno: number;
}

/** The inode of this process's network namespace, as the kernel's ns.inum. */
export function ownNetnsIno(): number {
  return statSync("/proc/self/ns/net").ino;
}

export function encodeGuardConfig(s: Pick<GuardSettings, "ports" | "maxNew" | "windowS" | "netnsIno">): Uint8Array {
  const b = new Uint8Array(HM_GUARD_CONFIG.SIZE);
  const d = new DataView(b.buffer);
  // max_new = 0 is "off" in the kernel: no ports means off whatever maxNew says.
  d.setUint32(HM_GUARD_CONFIG.OFF.max_new, s.ports.length ? s.maxNew : 0, true);
  d.setUint32(HM_GUARD_CONFIG.OFF.window_s, s.windowS, true);
  d.setUint32(HM_GUARD_CONFIG.OFF.netns_ino, s.netnsIno >>> 0, true);
  return b;
}

const portKey = (p: number) => new Uint8Array(new Uint16Array([p]).buffer);

/** hm_guard_ports := ports (adds missing, removes stale). */
export function syncGuardPorts(map: BpfMap, ports: readonly number[]): void {
  const want = new Set(ports);
  const have: number[] = [];
  for (let k = map.nextKey(null); k; k = map.nextKey(k)) have.push(new DataView(k.buffer, k.byteOffset, 2).getUint16(0, true));
  for (const p of have) if (!want.has(p)) map.delete(portKey(p));
  for (const p of want) map.update(portKey(p), new Uint8Array(4));
}

export interface GuardCounters {
  /** Completed handshakes to guarded ports (from every source). */
  established: bigint;
  /** ... of them from allowlisted sources, not counted. */
  allowed: bigint;
  reports: bigint;
  ringbufFull: bigint;
}

export function decodeGuardCounters(raw: Uint8Array): GuardCounters {
  const sum = sumPerCpu(raw, HM.GCNT_MAX);
  return { established: sum[HM.GCNT_ESTABLISHED]!, allowed: sum[HM.GCNT_ALLOWED]!, reports: sum[HM.GCNT_REPORTS]!, ringbufFull: sum[HM.GCNT_RINGBUF_FULL]! };
}

export interface GuardEvent {
  src: string;
  family: Family;
  port: number;
  connections: number;
  windowS: number;
  atMs: number;
}

const OFF = HM_GUARD_EVENT.OFF;

export function decodeGuardEvent(rec: Uint8Array, clocks: ClockPair): GuardEvent | undefined {
  if (rec.byteLength < HM_GUARD_EVENT.SIZE) return undefined;
  const d = new DataView(rec.buffer, rec.byteOffset, HM_GUARD_EVENT.SIZE);
  const family = d.getUint32(OFF.family, true) === 4 ? 4 : 6;
  const src = rec.slice(family === 4 ? OFF.src + 12 : OFF.src, OFF.src + 16);
  return {
    src: formatIp(family, src),
    family,
    port: d.getUint16(OFF.port, true),
    connections: d.getUint32(OFF.count, true),
    windowS: d.getUint32(OFF.window_s, true),
    atMs: bootNsToUnixMs(d.getBigUint64(OFF.ts_ns, true), clocks),
  };
}
