/**
 * Vertical SYN scans from the attacker namespace (nmap -sS) must produce
 * exactly one ring-buffer event per source per window, never one per packet.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createNetnsPair, type NetnsPair } from "../support/netns.ts";
import { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import type { ScanEvent } from "../../services/enforcerd/src/kernel/scan-event.ts";
import { kernelSkipReason, makePinRoot, removePinRoot, xdpCtl, OBJECT } from "./harness.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`SKIP test/kernel/scan: ${skip}`);

describe.skipIf(!!skip)("kernel vertical-scan events", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let k: KernelEnforcer;

  beforeAll(async () => {
    pair = createNetnsPair();
    pinRoot = makePinRoot();
    const opened = KernelEnforcer.open({ objectPath: OBJECT, pinRoot });
    if (!opened.ok) throw new Error(opened.reason);
    k = opened.value;
    k.setMode("enforce");
    await xdpCtl(pair, pinRoot, "attach", "native");
  });

  afterAll(() => {
    k?.close();
    pair?.destroy();
    if (pinRoot) removePinRoot(pinRoot);
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
