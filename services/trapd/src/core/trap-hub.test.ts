import { expect, test } from "bun:test";
import type { TrapSession } from "@honeymesh/schema/trap";
import type { TrapLimits } from "./limits.ts";
import { TrapHub } from "./trap-hub.ts";

const limits: TrapLimits = { maxConcurrent: 4, maxPerSource: 3, maxPerPrefix: 4, idleMs: 60_000, totalMs: 60_000, maxBytesIn: 1 << 20, maxLine: 1024, sampleBytes: 64, authDelayMs: 0 };
const at = (src: string, srcPort: number) => ({ service: "telnet" as const, src, srcPort, dst: "192.0.2.1", dstPort: 23 });

test("at the global cap a new source is admitted and the heaviest source's oldest idle session is closed as evicted", () => {
  const ended: TrapSession[] = [];
  const killed: string[] = [];
  const hub = new TrapHub(limits, { hit() {}, session: (s) => ended.push(s) });
  const recs = [1, 2, 3].map((p) => hub.open(at("198.51.100.1", p), () => killed.push(`a${p}`))!);
  hub.open(at("203.0.113.1", 9), () => killed.push("b"));
  // The second session of the heavy source spoke last; the third the longest ago.
  recs[0]!.lastActivity = 2_000;
  recs[1]!.lastActivity = 3_000;
  recs[2]!.lastActivity = 1_000;
  const fresh = hub.open(at("2001:db8::7", 40_000), () => {});
  expect(fresh?.at.src).toBe("2001:db8::7");
  expect(killed).toEqual(["a3"]);
  expect(ended.map((s) => [s.src, s.src_port, s.end_reason])).toEqual([["198.51.100.1", 3, "evicted"]]);
  expect(hub.drops.get("evicted")).toBe(1);
  expect(hub.active).toBe(4);
  // A source of the heaviest prefix itself gets no one else's slot: refused and counted.
  expect(hub.open(at("198.51.100.2", 5), () => {})).toBeUndefined();
  expect(hub.drops.get("max_concurrent")).toBe(1);
});
