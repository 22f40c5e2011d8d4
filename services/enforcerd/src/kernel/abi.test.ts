/**
 * The kernel ABI has one source, bpf/honeymesh.h. This test rebuilds the BPF
 * object (make is incremental), reads the BTF clang wrote into it and checks
 * that abi.generated.ts — which codec.ts, scan-event.ts, bans.ts and
 * counters.ts take every size and offset from — is exactly what the
 * generator makes of the current header and object, that every struct size
 * and field offset matches, and that the encoders put bytes where the BTF
 * says the kernel reads them.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ABI_HEADER, ABI_OBJECT, ABI_OUTPUT, readObjectBtf } from "../../../../scripts/kernel-abi/paths.ts";
import { ABI_STRUCTS, generateAbiModule, parseDefines, structLayouts, type StructLayout } from "../../../../scripts/kernel-abi/generate.ts";
import { decodeBan, decodeConfig, encodeBan, encodeConfig, encodeLpmKey } from "./codec.ts";
import { decodeScanEvent } from "./scan-event.ts";
import * as gen from "./abi.generated.ts";
import { CNT, HM_BAN, HM_CONFIG, HM_COUNTERS_VAL, HM_LPM_V4, HM_LPM_V6, HM_SCAN_EVENT, MODE, REASONS } from "./layout.ts";

type Btf = ReturnType<typeof readObjectBtf>;
let btf: Btf;
let header: string;
let layouts: Map<string, StructLayout>;

beforeAll(() => {
  // A stale object would hide a header change: rebuild it first (a failure is a failure, not a skip).
  const r = Bun.spawnSync(["make", "-s", "-C", join(ABI_HEADER, ".."), "build/honeymesh.bpf.o"], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`make -C bpf failed:\n${r.stderr.toString()}`);
  btf = readObjectBtf(ABI_OBJECT);
  header = readFileSync(ABI_HEADER, "utf8");
  layouts = structLayouts(btf);
});

/** What the TypeScript side uses for each struct shared with the kernel. */
const TS_SIDE: Record<(typeof ABI_STRUCTS)[number], { SIZE: number; OFF: Record<string, number>; LEN: Record<string, number> }> = {
  hm_ban: HM_BAN,
  hm_config: HM_CONFIG,
  hm_lpm_v4: HM_LPM_V4,
  hm_lpm_v6: HM_LPM_V6,
  hm_scan_state: gen.HM_SCAN_STATE,
  hm_scan_event: HM_SCAN_EVENT,
  hm_counters_val: HM_COUNTERS_VAL,
  hm_guard_config: gen.HM_GUARD_CONFIG,
  hm_guard_state: gen.HM_GUARD_STATE,
  hm_guard_event: gen.HM_GUARD_EVENT,
  hm_guard_counters_val: gen.HM_GUARD_COUNTERS_VAL,
};

const btfView = (s: StructLayout) => ({
  SIZE: s.size,
  OFF: Object.fromEntries(Object.entries(s.fields).map(([f, l]) => [f, l.offset])),
  LEN: Object.fromEntries(Object.entries(s.fields).filter(([, l]) => l.count > 1).map(([f, l]) => [f, l.count])),
});

describe("kernel ABI: bpf/honeymesh.h -> BTF of honeymesh.bpf.o -> abi.generated.ts", () => {
  test("abi.generated.ts is what the generator makes of the current header and object (else: make -C bpf abi)", () => {
    expect(readFileSync(ABI_OUTPUT, "utf8")).toBe(generateAbiModule(header, btf));
  });

  for (const name of ABI_STRUCTS)
    test(`struct ${name}: size and every field offset match the BTF`, () => {
      expect({ name, ...TS_SIDE[name] }).toEqual({ name, ...btfView(layouts.get(name)!) });
    });

  test("every integer #define matches (modes, counter slots, bounds)", () => {
    for (const [k, v] of parseDefines(header)) {
      const ts = k.startsWith("HM_CNT_") ? (CNT as Record<string, number>)[k.slice(7)] : (gen.HM as Record<string, number>)[k.slice(3)];
      expect([k, ts]).toEqual([k, Number(v)]);
    }
    expect(MODE).toEqual({ test: gen.HM.MODE_TEST, enforce: gen.HM.MODE_ENFORCE, lockdown: gen.HM.MODE_LOCKDOWN });
  });

  test("counter slots fit struct hm_counters_val and per-reason ranges do not overlap", () => {
    expect(layouts.get("hm_counters_val")!.fields.c!.count).toBe(CNT.MAX);
    expect(REASONS.length).toBe(gen.HM.REASON_BITS);
    expect(CNT.DROP_REASON + REASONS.length).toBe(CNT.WOULD_REASON);
    expect(CNT.WOULD_REASON + REASONS.length).toBe(CNT.WOULD_DROP);
    const slots = Object.entries(CNT).filter(([k]) => k !== "MAX").map(([, v]) => v);
    expect(Math.max(...slots)).toBeLessThan(CNT.MAX);
  });

  test("encoders write where the BTF says the kernel reads", () => {
    const off = (s: string, f: string) => layouts.get(s)!.fields[f]!.offset;
    const ban = new DataView(encodeBan({ reasons: 0x41, flags: 7, expiresNs: 0x0102030405060708n }).buffer);
    expect([ban.byteLength, ban.getUint32(off("hm_ban", "reasons"), true), ban.getUint32(off("hm_ban", "flags"), true), ban.getBigUint64(off("hm_ban", "expires_ns"), true)]).toEqual([
      layouts.get("hm_ban")!.size, 0x41, 7, 0x0102030405060708n,
    ]);
    const cfg = new DataView(encodeConfig({ mode: "lockdown", scanThreshold: 9, scanWindowNs: 5n }).buffer);
    expect([cfg.byteLength, cfg.getUint32(off("hm_config", "mode"), true), cfg.getUint32(off("hm_config", "scan_threshold"), true), cfg.getBigUint64(off("hm_config", "scan_window_ns"), true)]).toEqual([
      layouts.get("hm_config")!.size, MODE.lockdown, 9, 5n,
    ]);
    for (const [s, len] of [["hm_lpm_v4", 4], ["hm_lpm_v6", 16]] as const) {
      const addr = Uint8Array.from({ length: len }, (_, i) => i + 1);
      const k = encodeLpmKey(addr, 24);
      expect([k.length, new DataView(k.buffer).getUint32(off(s, "prefixlen"), true), [...k.subarray(off(s, "addr"), off(s, "addr") + len)]]).toEqual([layouts.get(s)!.size, 24, [...addr]]);
    }
    expect(decodeBan(encodeBan({ reasons: 3, flags: 0, expiresNs: 9n }))).toEqual({ reasons: 3, flags: 0, expiresNs: 9n });
    expect(decodeConfig(encodeConfig({ mode: "enforce", scanThreshold: 4, scanWindowNs: 6n, fastPath: true, fastBanTtlS: 77 }))).toEqual({ mode: "enforce", scanThreshold: 4, scanWindowNs: 6n, fastPath: true, fastBanTtlS: 77 });
    const fast = new DataView(encodeConfig({ mode: "enforce", scanThreshold: 4, scanWindowNs: 6n, fastPath: true, fastBanTtlS: 77 }).buffer);
    expect([fast.getUint32(off("hm_config", "flags"), true) & gen.HM.CFG_FAST_PATH, fast.getUint32(off("hm_config", "fast_ban_ttl_s"), true)]).toEqual([gen.HM.CFG_FAST_PATH, 77]);
  });

  test("the scan-event decoder reads the fields where the BTF puts them", () => {
    const ev = layouts.get("hm_scan_event")!;
    const rec = new Uint8Array(ev.size);
    const d = new DataView(rec.buffer);
    rec.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9], ev.fields.src!.offset);
    d.setUint32(ev.fields.family!.offset, 6, true);
    d.setUint32(ev.fields.port_count!.offset, 2, true);
    d.setUint16(ev.fields.ports!.offset, 22, true);
    d.setUint16(ev.fields.ports!.offset + 2, 0, true);
    d.setBigUint64(ev.fields.ts_ns!.offset, 7n, true);
    expect(decodeScanEvent(rec, { unixMs: 0, bootNs: 0n })).toMatchObject({ src: "2001:db8::9", family: 6, portCount: 2, ports: [22, 0], tsBootNs: 7n, kernelBanned: false });
    d.setUint32(ev.fields.flags!.offset, gen.HM.EV_F_BANNED, true);
    expect(decodeScanEvent(rec, { unixMs: 0, bootNs: 0n })?.kernelBanned).toBe(true);
  });

  test("a drift in the C layout changes the generated module (the check can fail)", () => {
    // Swap the first two members of struct hm_ban in a copy of the BTF, as reordering them in C would.
    const drifted = structuredClone(btf) as { types: Array<{ kind: string; name: string; members?: Array<{ bits_offset: number }> }> };
    const t = drifted.types.find((x) => x.kind === "STRUCT" && x.name === "hm_ban")!;
    [t.members![0]!.bits_offset, t.members![1]!.bits_offset] = [t.members![1]!.bits_offset, t.members![0]!.bits_offset];
    expect(generateAbiModule(header, drifted as Btf)).not.toBe(readFileSync(ABI_OUTPUT, "utf8"));
    expect(btfView(structLayouts(drifted as Btf).get("hm_ban")!)).not.toEqual(HM_BAN);
    // And a new #define appears in the module only after regeneration.
    expect(generateAbiModule(`${header}\n#define HM_CNT_NEW_SLOT 99\n`, btf)).not.toBe(readFileSync(ABI_OUTPUT, "utf8"));
  });
});
