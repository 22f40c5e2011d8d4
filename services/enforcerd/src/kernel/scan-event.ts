/** Decoding of struct hm_scan_event records from the hm_events ring buffer. */
import { formatIp, type Family } from "@honeymesh/net/address";
import { bootNsToUnixMs, type ClockPair } from "./codec.ts";
import { EV_F_BANNED, HM_SCAN_EVENT } from "./layout.ts";

const OFF = HM_SCAN_EVENT.OFF;
/** Byte offset of the IPv4 address inside an IPv4-mapped IPv6 src. */
const V4_IN_MAPPED = 12;

export interface ScanEvent {
  /** Canonical text of the scanning source. */
  src: string;
  family: Family;
  /** Distinct ports counted when the threshold was crossed. */
  portCount: number;
  /** The first distinct ports seen in the window (up to 8); 0 = a probe whose port was hidden (evasive fragment / header chain). */
  ports: number[];
  /** CLOCK_BOOTTIME ns at the crossing, and the same instant in unix ms. */
  tsBootNs: bigint;
  atMs: number;
  /** The XDP fast path banned src along with this event (a SCAN ban flagged kernel-made, see hm_scan.h). */
  kernelBanned: boolean;
}

export function decodeScanEvent(rec: Uint8Array, clocks: ClockPair): ScanEvent | undefined {
  if (rec.byteLength < HM_SCAN_EVENT.SIZE) return undefined;
  const d = new DataView(rec.buffer, rec.byteOffset, HM_SCAN_EVENT.SIZE);
  const family = d.getUint32(OFF.family, true) === 4 ? 4 : 6;
  const srcEnd = OFF.src + HM_SCAN_EVENT.LEN.src;
  const src = rec.slice(family === 4 ? OFF.src + V4_IN_MAPPED : OFF.src, srcEnd);
  const portCount = d.getUint32(OFF.port_count, true);
  const ports: number[] = [];
  for (let i = 0; i < Math.min(HM_SCAN_EVENT.LEN.ports, portCount); i++) ports.push(d.getUint16(OFF.ports + 2 * i, true));
  const tsBootNs = d.getBigUint64(OFF.ts_ns, true);
  const kernelBanned = (d.getUint32(OFF.flags, true) & EV_F_BANNED) !== 0;
  return { src: formatIp(family, src), family, portCount, ports, tsBootNs, atMs: bootNsToUnixMs(tsBootNs, clocks), kernelBanned };
}
