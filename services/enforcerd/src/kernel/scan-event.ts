/** Decoding of struct hm_scan_event records from the hm_events ring buffer. */
import { formatIp, type Family } from "@honeymesh/net/address";
import { bootNsToUnixMs, type ClockPair } from "./codec.ts";
import { SCAN_EVENT_SIZE, SCAN_FIRST_PORTS } from "./layout.ts";

export interface ScanEvent {
  /** Canonical text of the scanning source. */
  src: string;
  family: Family;
  /** Distinct ports counted when the threshold was crossed. */
  portCount: number;
  /** The first distinct ports seen in the window (up to 8). */
  ports: number[];
  /** CLOCK_BOOTTIME ns at the crossing, and the same instant in unix ms. */
  tsBootNs: bigint;
  atMs: number;
}

export function decodeScanEvent(rec: Uint8Array, clocks: ClockPair): ScanEvent | undefined {
  if (rec.byteLength < SCAN_EVENT_SIZE) return undefined;
  const d = new DataView(rec.buffer, rec.byteOffset, SCAN_EVENT_SIZE);
  const family = d.getUint32(16, true) === 4 ? 4 : 6;
  const src = family === 4 ? rec.slice(12, 16) : rec.slice(0, 16);
  const portCount = d.getUint32(20, true);
  const ports: number[] = [];
  for (let i = 0; i < Math.min(SCAN_FIRST_PORTS, portCount); i++) ports.push(d.getUint16(24 + 2 * i, true));
  const tsBootNs = d.getBigUint64(40, true);
  return { src: formatIp(family, src), family, portCount, ports, tsBootNs, atMs: bootNsToUnixMs(tsBootNs, clocks) };
}
