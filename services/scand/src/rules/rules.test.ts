import { describe, expect, test } from "bun:test";
import { REASONS } from "@honeymesh/ban/reasons";
import { newSourceState, noteAttempts, notePorts } from "../source-state.ts";
import { credentialSpray } from "./credential-spray.ts";
import { entropyAnomaly } from "./entropy.ts";
import { lowAndSlow } from "./low-and-slow.ts";
import { SubnetAggregator } from "./subnet.ts";
import { verticalScan } from "./vertical-scan.ts";

describe("rules", () => {
  test("vertical scan: 3 distinct ports inside the window, not 2, not spread over two windows", () => {
    const s = newSourceState();
    notePorts(s, [22, 80], 0, 60_000);
    expect(verticalScan(s, 3, 0)).toBeUndefined();
    notePorts(s, [443], 1200, 60_000);
    expect(verticalScan(s, 3, 1200)).toEqual({ reasons: REASONS.SCAN, evidence: { kind: "scan", summary: "SCAN: ports 22,80,443 within 1.2 s", ports: [22, 80, 443], count: 3, window_s: 1.2 } });
    const t = newSourceState();
    notePorts(t, [22, 80], 0, 60_000);
    notePorts(t, [443], 61_000, 60_000);
    expect(verticalScan(t, 3, 61_000)).toBeUndefined();
  });

  test("low and slow: ports one an hour add up; a day-old port weighs about a quarter", () => {
    const s = newSourceState();
    const day = 86_400_000;
    let found;
    for (let i = 0; i < 12 && !found; i++) found = lowAndSlow(s, [1000 + i], i * 3_600_000, 8, day);
    expect(found?.reasons).toBe(REASONS.SCAN);
    const t = newSourceState();
    lowAndSlow(t, [1, 2, 3, 4, 5, 6, 7, 8, 9], 0, 10, day);
    expect(lowAndSlow(t, [10], day, 10, day)).toBeUndefined();
  });

  test("credential spray counts attempts across traps inside the window", () => {
    const s = newSourceState();
    noteAttempts(s, 3, "ssh", 0, 600_000);
    expect(credentialSpray(s, 5)).toBeUndefined();
    noteAttempts(s, 2, "ftp", 1000, 600_000);
    expect(credentialSpray(s, 5)?.evidence).toEqual({ kind: "bruteforce", summary: "BRUTEFORCE: 5 login attempts (3 on ssh, 2 on ftp)", count: 5, window_s: 1 });
    noteAttempts(s, 1, "ssh", 700_000, 600_000);
    expect(credentialSpray(s, 5)).toBeUndefined();
  });

  test("entropy: high entropy on enough bytes, or a NOP sled, but not text", () => {
    expect(entropyAnomaly(7.95, 4096, new Uint8Array(8), { trap: "generic", port: 2222 }, 7.2, 256)?.reasons).toBe(REASONS.ENTROPY);
    expect(entropyAnomaly(7.95, 100, new Uint8Array(8), { trap: "generic", port: 2222 }, 7.2, 256)).toBeUndefined();
    expect(entropyAnomaly(4.1, 4096, new TextEncoder().encode("GET / HTTP/1.1"), { trap: "http", port: 8081 }, 7.2, 256)).toBeUndefined();
    const sled = new Uint8Array(64).fill(0x90);
    expect(entropyAnomaly(0.1, 64, sled, { trap: "generic", port: 9999 }, 7.2, 256)?.evidence).toMatchObject({ kind: "entropy", summary: "ENTROPY: NOP sled in payload on generic:9999", trap: "generic", ports: [9999] });
  });

  test("subnet aggregation: the third banned /64 address bans the prefix; IPv4 off by default", () => {
    const agg = new SubnetAggregator({ v4: false, v4Prefix: 24, v6: true, v6Prefix: 64, threshold: 3, windowMs: 3_600_000 });
    expect(agg.noteBan("2001:db8:1:2::1", 2, 0)).toBeUndefined();
    expect(agg.noteBan("2001:db8:1:2::2", 1, 1)).toBeUndefined();
    const hit = agg.noteBan("2001:db8:1:2::3", 2, 2);
    expect(hit?.cidr).toBe("2001:db8:1:2::/64");
    expect(hit?.finding.reasons).toBe(3);
    for (const i of [1, 2, 3]) expect(agg.noteBan(`198.51.100.${i}`, 2, i)).toBeUndefined();
  });
});
