import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CNT, MODE, REASON_BITS, BAN_MAX_ENTRIES, CIDR_MAX_ENTRIES, ALLOW_MAX_ENTRIES, SCAN_FIRST_PORTS, DEFAULT_SCAN_THRESHOLD } from "./layout.ts";

const header = readFileSync(join(import.meta.dir, "../../../../bpf/honeymesh.h"), "utf8");
const defines = new Map<string, number>();
for (const m of header.matchAll(/^#define (HM_\w+) \(?(\d+)/gm)) defines.set(m[1]!, Number(m[2]));

describe("layout.ts mirrors bpf/honeymesh.h", () => {
  test("counter slots", () => {
    for (const [k, v] of Object.entries(CNT)) expect([k, defines.get(`HM_CNT_${k}`)]).toEqual([k, v]);
  });
  test("modes and sizes", () => {
    expect(defines.get("HM_MODE_TEST")).toBe(MODE.test);
    expect(defines.get("HM_MODE_ENFORCE")).toBe(MODE.enforce);
    expect(defines.get("HM_MODE_LOCKDOWN")).toBe(MODE.lockdown);
    expect(defines.get("HM_REASON_BITS")).toBe(REASON_BITS);
    expect(defines.get("HM_BAN_MAX_ENTRIES")).toBe(BAN_MAX_ENTRIES);
    expect(defines.get("HM_CIDR_MAX_ENTRIES")).toBe(CIDR_MAX_ENTRIES);
    expect(defines.get("HM_ALLOW_MAX_ENTRIES")).toBe(ALLOW_MAX_ENTRIES);
    expect(defines.get("HM_SCAN_FIRST_PORTS")).toBe(SCAN_FIRST_PORTS);
    expect(defines.get("HM_DEFAULT_SCAN_THRESHOLD")).toBe(DEFAULT_SCAN_THRESHOLD);
  });
  test("per-reason slots do not overlap", () => {
    expect(CNT.DROP_REASON + REASON_BITS).toBe(CNT.WOULD_REASON);
    expect(CNT.WOULD_REASON + REASON_BITS).toBe(CNT.WOULD_DROP);
  });
});
