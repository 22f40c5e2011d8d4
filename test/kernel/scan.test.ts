/**
 * Vertical SYN scans from the attacker namespace (nmap -sS) must produce
 * exactly one ring-buffer event per source per window, never one per packet.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { NetnsPair } from "../support/netns.ts";
import type { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import type { ScanEvent } from "../../services/enforcerd/src/kernel/scan-event.ts";
import { kernelSkipReason, xdpCtl } from "./harness.ts";
import { BAN_F_KERNEL } from "../../services/enforcerd/src/kernel/layout.ts";
import { REASONS as REASONS_MASK } from "@honeymesh/ban/reasons";
import { openTestProgram, XDP_DROP, XDP_PASS, type TestProgram } from "./test-program.ts";
import { eth, ipv4, ipv6, tcpSyn, frame, v6bytes, ETH_IP, ETH_IPV6 } from "./frames.ts";
import { closeEnforcerPair, openEnforcerPair } from "./enforcer-pair.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`SKIP test/kernel/scan: ${skip}`);

describe.skipIf(!!skip)("kernel vertical-scan events", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let k: KernelEnforcer;

  beforeAll(async () => {
    ({ pair, pinRoot, k } = openEnforcerPair());
    k.setMode("enforce");
    await xdpCtl(pair, pinRoot, "attach", "native");
  });

  afterAll(() => {
    closeEnforcerPair({ pair, pinRoot, k });
  });

  const drain = (): ScanEvent[] => {
    const got: ScanEvent[] = [];
    k.pollScanEvents((e) => got.push(e));
    return got;
  };

  const nmap = async (target: string, ports: string, v6 = false) => {
    const argv = ["nmap", ...(v6 ? ["-6"] : []), "-n", "-Pn", "-sS", "-T5", "--max-retries", "1", "-p", ports, target];
    const r = await pair.run("attacker", argv, 60_000);
    expect(r.code).toBe(0);
    return r.stdout;
  };

  test("nmap -sS -p 1-50 (IPv4) gives exactly one event, and no second one in the same window", async () => {
    k.setScan(10, 30);
    drain();
    const syn0 = k.counters().synSeen;
    await nmap(pair.victim.v4, "1-50");
    const events = drain();
    expect(events.length).toBe(1);
    const e = events[0]!;
    expect(e).toMatchObject({ src: pair.attacker.v4, family: 4, portCount: 10 });
    expect(e.ports.length).toBe(8);
    expect(new Set(e.ports).size).toBe(8);
    e.ports.forEach((p) => expect(p >= 1 && p <= 50).toBe(true));
    expect(Math.abs(e.atMs - Date.now())).toBeLessThan(60_000);
    expect(k.counters().synSeen - syn0).toBeGreaterThanOrEqual(50n);
    // Same source, same window: more ports but no new event.
    await nmap(pair.victim.v4, "51-120");
    expect(drain().length).toBe(0);
  });

  test("nmap -6 -sS gives one IPv6 event", async () => {
    drain();
    await nmap(pair.victim.v6, "1-50", true);
    const events = drain();
    expect(events.length).toBe(1);
    expect(events[0]).toMatchObject({ src: pair.attacker.v6, family: 6, portCount: 10 });
  });

  test("below the threshold nothing is emitted; a new window emits again", async () => {
    k.setScan(20, 1);
    await Bun.sleep(1100); // let the previous windows lapse
    drain();
    const ev0 = k.counters().scanEvents;
    await nmap(pair.victim.v4, "200-210"); // 11 ports < 20
    expect(drain().length).toBe(0);
    await Bun.sleep(1100);
    await nmap(pair.victim.v4, "300-330"); // 31 ports in a fresh window
    const events = drain();
    expect(events.length).toBe(1);
    expect(events[0]!.portCount).toBe(20);
    expect(k.counters().scanEvents - ev0).toBe(1n);
  });
});

/**
 * The fast path (issue 17) through BPF_PROG_TEST_RUN: the crossing installs a kernel-made SCAN
 * ban, so the packet after the threshold packet is dropped; never for allowlisted or protected
 * sources, never in test mode, never with the fast path off.
 */
describe.skipIf(!!skip)("kernel fast path: the threshold crossing bans in XDP", () => {
  let tp: TestProgram;
  let k: KernelEnforcer;
  const DST4 = [10, 0, 0, 1];
  const DST6 = v6bytes([0xfd00, 0, 0, 0, 0, 0, 0, 1]);
  const syn4 = (src: number[], port: number) => frame(eth(ETH_IP), ipv4(src, DST4, 6, tcpSyn(port)));
  const syn6 = (src: number[], port: number) => frame(eth(ETH_IPV6), ipv6(src, DST6, 6, tcpSyn(port)));
  const drain = () => {
    const got: ScanEvent[] = [];
    k.pollScanEvents((e) => got.push(e));
    return got;
  };
  /** Verdicts of SYNs to ports 1..n from one source. */
  const sweep = (mk: (p: number) => Uint8Array, n: number) => Array.from({ length: n }, (_, i) => tp.run(mk(i + 1)));

  beforeAll(() => {
    tp = openTestProgram((k) => {
      k.setMode("enforce");
      k.setScan(3, 60);
      k.setFastPath(true, 120);
      k.allowAdd(["203.0.113.77"]);
      k.protectAdd(["198.51.100.0/24", "2001:db8:99::9"]);
    });
    k = tp.k;
  });

  afterAll(() => tp?.close());

  test("IPv4: SYNs to 3 ports pass, the 4th is dropped, the event says the kernel banned, the ban is SCAN and kernel-made", () => {
    drain();
    const before = Date.now();
    expect(sweep((p) => syn4([192, 0, 2, 10], p), 5)).toEqual([XDP_PASS, XDP_PASS, XDP_PASS, XDP_DROP, XDP_DROP]);
    expect(drain()).toMatchObject([{ src: "192.0.2.10", portCount: 3, kernelBanned: true }]);
    const ban = k.listBans().find((b) => b.address === "192.0.2.10");
    expect(ban).toMatchObject({ reasons: REASONS_MASK.SCAN, flags: BAN_F_KERNEL });
    expect(ban!.expiresAtMs).toBeGreaterThanOrEqual(before + 119_000);
    expect(ban!.expiresAtMs).toBeLessThanOrEqual(Date.now() + 121_000);
    expect(k.counters().droppedByReason.SCAN).toBeGreaterThanOrEqual(2n);
  });

  test("IPv6: the same", () => {
    drain();
    expect(sweep((p) => syn6(v6bytes([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10]), p), 4)).toEqual([XDP_PASS, XDP_PASS, XDP_PASS, XDP_DROP]);
    expect(drain()).toMatchObject([{ src: "2001:db8::10", family: 6, kernelBanned: true }]);
    expect(k.listBans().find((b) => b.address === "2001:db8::10")).toMatchObject({ reasons: REASONS_MASK.SCAN, flags: BAN_F_KERNEL });
    // What the running sweep reads: the kernel-made entries only, not enforcerd's own writes.
    k.upsertBans([{ address: "192.0.2.99", reasons: REASONS_MASK.SCAN, expiresAtMs: Date.now() + 60_000 }]);
    const made = k.listKernelMadeBans().map((b) => b.address);
    expect(made).toContain("192.0.2.10");
    expect(made).toContain("2001:db8::10");
    expect(made).not.toContain("192.0.2.99");
    k.removeBans(["192.0.2.99"]);
  });

  test("an allowlisted source is never fast-banned (and not even tracked)", () => {
    drain();
    expect(sweep((p) => syn4([203, 0, 113, 77], p), 6).every((v) => v === XDP_PASS)).toBe(true);
    expect(drain()).toEqual([]);
    expect(k.listBans().some((b) => b.address === "203.0.113.77")).toBe(false);
  });

  test("a protected source still makes an event but is never fast-banned", () => {
    drain();
    expect(sweep((p) => syn4([198, 51, 100, 5], p), 6).every((v) => v === XDP_PASS)).toBe(true);
    expect(sweep((p) => syn6(v6bytes([0x2001, 0xdb8, 0x99, 0, 0, 0, 0, 9]), p), 6).every((v) => v === XDP_PASS)).toBe(true);
    expect(drain()).toMatchObject([{ src: "198.51.100.5", kernelBanned: false }, { src: "2001:db8:99::9", kernelBanned: false }]);
    expect(k.listBans().filter((b) => b.address === "198.51.100.5" || b.address === "2001:db8:99::9")).toEqual([]);
    expect(k.protectList().sort()).toEqual(["198.51.100.0/24", "2001:db8:99::9"]);
  });

  test("test mode never fast-bans; neither does enforce mode with the fast path off", () => {
    try {
      k.setMode("test");
      drain();
      expect(sweep((p) => syn4([192, 0, 2, 20], p), 6).every((v) => v === XDP_PASS)).toBe(true);
      k.setMode("enforce");
      k.setFastPath(false, 120);
      expect(sweep((p) => syn4([192, 0, 2, 21], p), 6).every((v) => v === XDP_PASS)).toBe(true);
      expect(drain()).toMatchObject([{ src: "192.0.2.20", kernelBanned: false }, { src: "192.0.2.21", kernelBanned: false }]);
      expect(k.listBans().filter((b) => b.address === "192.0.2.20" || b.address === "192.0.2.21")).toEqual([]);
    } finally {
      k.setMode("enforce");
      k.setFastPath(true, 120);
    }
  });

  test("an expired entry does not hold the fast path back: the crossing replaces it", () => {
    // A live ban drops the source before it is tracked, so only a dead one can be there.
    k.upsertBans([{ address: "192.0.2.30", reasons: 8, expiresAtMs: Date.now() - 1000 }]);
    drain();
    expect(sweep((p) => syn4([192, 0, 2, 30], p), 4)).toEqual([XDP_PASS, XDP_PASS, XDP_PASS, XDP_DROP]);
    expect(drain()).toMatchObject([{ src: "192.0.2.30", kernelBanned: true }]);
    expect(k.listBans().find((b) => b.address === "192.0.2.30")).toMatchObject({ reasons: REASONS_MASK.SCAN, flags: BAN_F_KERNEL });
  });
});

/** nmap -sS against an attached program with the fast path on: the scan is cut off at the threshold. */
describe.skipIf(!!skip)("kernel fast path under a real nmap -sS", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let k: KernelEnforcer;

  beforeAll(async () => {
    ({ pair, pinRoot, k } = openEnforcerPair());
    k.setMode("enforce");
    k.setScan(10, 60);
    k.setFastPath(true, 60);
    await xdpCtl(pair, pinRoot, "attach", "native");
  });

  afterAll(() => {
    closeEnforcerPair({ pair, pinRoot, k });
  });

  test("nmap -sS -p 1-60: 10 SYNs pass, every later one is dropped for SCAN, and the event says banned", async () => {
    const c0 = k.counters();
    const r = await pair.run("attacker", ["nmap", "-n", "-Pn", "-sS", "-T5", "--max-retries", "1", "-p", "1-60", pair.victim.v4], 60_000);
    expect(r.code).toBe(0);
    const got: ScanEvent[] = [];
    k.pollScanEvents((e) => got.push(e));
    expect(got).toMatchObject([{ src: pair.attacker.v4, portCount: 10, kernelBanned: true }]);
    const c = k.counters();
    // Only passed SYNs are tracked: exactly the 10 that crossed the threshold got through
    // (closed ports answer RST, so nmap retries none of them).
    expect(c.synSeen - c0.synSeen).toBe(10n);
    expect(c.droppedByReason.SCAN - c0.droppedByReason.SCAN).toBeGreaterThanOrEqual(50n);
    expect(k.listBans().find((b) => b.address === pair.attacker.v4)).toMatchObject({ reasons: REASONS_MASK.SCAN, flags: BAN_F_KERNEL });
    // nmap saw the rest as filtered (no answer), not closed.
    expect(r.stdout).toMatch(/\b5\d filtered|filtered tcp ports|Not shown: \d+ filtered/);
  });
});
