import { expect, test } from "bun:test";
import { HM_GUARD_CONFIG, HM_GUARD_EVENT } from "./abi.generated.ts";
import { decodeGuardEvent, encodeGuardConfig } from "./guard.ts";

test("no ports writes max_new 0 (the kernel's off) whatever max_new_per_min says", () => {
  const off = new DataView(encodeGuardConfig({ ports: [], maxNew: 20, windowS: 60, netnsIno: 4026531840 }).buffer);
  expect(off.getUint32(HM_GUARD_CONFIG.OFF.max_new, true)).toBe(0);
  const on = new DataView(encodeGuardConfig({ ports: [22], maxNew: 20, windowS: 60, netnsIno: 4026531840 }).buffer);
  expect([on.getUint32(HM_GUARD_CONFIG.OFF.max_new, true), on.getUint32(HM_GUARD_CONFIG.OFF.window_s, true), on.getUint32(HM_GUARD_CONFIG.OFF.netns_ino, true)]).toEqual([20, 60, 4026531840]);
});

test("a report decodes: an IPv4-mapped source prints as IPv4, a short record is refused", () => {
  const rec = new Uint8Array(HM_GUARD_EVENT.SIZE);
  const d = new DataView(rec.buffer);
  rec.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 203, 0, 113, 9], HM_GUARD_EVENT.OFF.src);
  d.setUint32(HM_GUARD_EVENT.OFF.family, 4, true);
  d.setUint16(HM_GUARD_EVENT.OFF.port, 22, true);
  d.setUint32(HM_GUARD_EVENT.OFF.count, 21, true);
  d.setUint32(HM_GUARD_EVENT.OFF.window_s, 60, true);
  d.setBigUint64(HM_GUARD_EVENT.OFF.ts_ns, 5_000_000_000n, true);
  const ev = decodeGuardEvent(rec, { bootNs: 5_000_000_000n, unixMs: 1_700_000_000_000 });
  expect(ev).toEqual({ src: "203.0.113.9", family: 4, port: 22, connections: 21, windowS: 60, atMs: 1_700_000_000_000 });
  expect(decodeGuardEvent(rec.subarray(0, 20), { bootNs: 0n, unixMs: 0 })).toBeUndefined();
});
