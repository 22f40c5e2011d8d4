import { describe, expect, test } from "bun:test";
import { bootNsToUnixMs, decodeBan, decodeConfig, decodeLpmKey, encodeBan, encodeConfig, encodeLpmKey, unixMsToBootNs } from "./codec.ts";
import { decodeCounters } from "./counters.ts";
import { CNT, HM_SCAN_EVENT } from "./layout.ts";
import { decodeScanEvent } from "./scan-event.ts";

const clocks = { unixMs: 1_700_000_000_000, bootNs: 5_000_000_000n };

describe("codec", () => {
  test("unix ms <-> boottime ns", () => {
    expect(unixMsToBootNs(0, clocks)).toBe(0n); // permanent
    expect(unixMsToBootNs(clocks.unixMs + 1500, clocks)).toBe(6_500_000_000n);
    expect(unixMsToBootNs(clocks.unixMs - 1000, clocks)).toBe(4_000_000_000n); // already expired
    expect(unixMsToBootNs(clocks.unixMs - 10_000, clocks)).toBe(1n); // before boot: expired, never "permanent"
    expect(bootNsToUnixMs(6_500_000_000n, clocks)).toBe(clocks.unixMs + 1500);
    expect(bootNsToUnixMs(0n, clocks)).toBe(0);
  });
  test("ban, LPM key and config layouts", () => {
    const b = encodeBan({ reasons: 0x41, flags: 0, expiresNs: 0x0102030405060708n });
    expect(Buffer.from(b).toString("hex")).toBe("41000000000000000807060504030201");
    expect(decodeBan(b)).toEqual({ reasons: 0x41, flags: 0, expiresNs: 0x0102030405060708n });
    const k = encodeLpmKey(new Uint8Array([10, 0, 0, 0]), 8);
    expect(Buffer.from(k).toString("hex")).toBe("080000000a000000");
    expect(decodeLpmKey(k)).toEqual({ family: 4, bytes: new Uint8Array([10, 0, 0, 0]), prefix: 8 });
    const c = { mode: "lockdown" as const, scanThreshold: 5, scanWindowNs: 30_000_000_000n, fastPath: false, fastBanTtlS: 0 };
    expect(decodeConfig(encodeConfig(c))).toEqual(c);
  });
  test("counters sum over CPUs", () => {
    const raw = new BigUint64Array(CNT.MAX * 2);
    raw[CNT.PASSED] = 3n;
    raw[CNT.MAX + CNT.PASSED] = 4n;
    raw[CNT.DROP_REASON + 3] = 2n; // MANUAL on CPU 0
    raw[CNT.MAX + CNT.WOULD_REASON + 6] = 9n; // EXTERNAL on CPU 1
    const c = decodeCounters(new Uint8Array(raw.buffer));
    expect(c.passed).toBe(7n);
    expect(c.droppedByReason.MANUAL).toBe(2n);
    expect(c.wouldDropByReason.EXTERNAL).toBe(9n);
    expect(c.droppedByReason.TRAP).toBe(0n);
  });
  test("scan event record", () => {
    const O = HM_SCAN_EVENT.OFF;
    const rec = new Uint8Array(HM_SCAN_EVENT.SIZE);
    const d = new DataView(rec.buffer);
    rec.set([0xff, 0xff, 192, 0, 2, 7], O.src + 10); // IPv4-mapped
    d.setUint32(O.family, 4, true);
    d.setUint32(O.port_count, 3, true);
    [22, 80, 443].forEach((p, i) => d.setUint16(O.ports + 2 * i, p, true));
    d.setBigUint64(O.ts_ns, 6_000_000_000n, true);
    expect(decodeScanEvent(rec, clocks)).toEqual({ src: "192.0.2.7", family: 4, portCount: 3, ports: [22, 80, 443], tsBootNs: 6_000_000_000n, atMs: clocks.unixMs + 1000, kernelBanned: false });
    expect(decodeScanEvent(rec.subarray(0, HM_SCAN_EVENT.SIZE - 8), clocks)).toBeUndefined();
  });
});
