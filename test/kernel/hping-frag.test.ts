/**
 * Real fragmented SYNs (`hping3 -S -f`: the TCP header split into 16-byte
 * fragments, RFC 1858) from the attacker namespace. Without the XDP check the
 * victim's stack reassembles them and the port answers while the parser sees
 * no TCP header; now test mode counts them (and the port still answers),
 * enforce mode drops them and the source is charged with a scan.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { NetnsPair } from "../support/netns.ts";
import type { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import type { ScanEvent } from "../../services/enforcerd/src/kernel/scan-event.ts";
import { kernelSkipReason, startListener, xdpCtl } from "./harness.ts";
import { closeEnforcerPair, openEnforcerPair } from "./enforcer-pair.ts";

const skip = kernelSkipReason() ?? (Bun.which("hping3") ? undefined : "hping3 is not installed (scripts/setup.sh --test)");
if (skip) console.warn(`SKIP test/kernel/hping-frag: ${skip}`);

const PORT = 7100;

describe.skipIf(!!skip)("hping3 -S -f against XDP", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let k: KernelEnforcer;
  let listener: ReturnType<typeof Bun.spawn> | undefined;

  beforeAll(async () => {
    ({ pair, pinRoot, k } = openEnforcerPair());
    k.setMode("test");
    k.setScan(3, 60);
    await xdpCtl(pair, pinRoot, "attach", "native");
    listener = await startListener(pair, PORT);
  });

  afterAll(() => {
    listener?.kill();
    closeEnforcerPair({ pair, pinRoot, k });
  });

  /** hping3 exits 0 when it got replies; its stdout names the reply flags (SA = the port answered). */
  const hping = (port: string, count: number) =>
    pair.run("attacker", ["hping3", "-S", "-f", "-p", port, "-c", String(count), "-i", "u200000", pair.victim.v4], 20_000);

  test("test mode: the fragmented SYN reaches the open port and is counted as a would-drop", async () => {
    const c0 = k.counters();
    const r = await hping(String(PORT), 1);
    expect(r.stdout).toContain("flags=SA");
    const c = k.counters();
    expect(c.v4FragEvasion - c0.v4FragEvasion).toBe(1n);
    expect(c.wouldDrop - c0.wouldDrop).toBe(1n);
  });

  test("enforce mode: fragmented SYNs to 3 more ports are dropped and make a scan event for the source", async () => {
    k.setMode("enforce");
    const got: ScanEvent[] = [];
    k.pollScanEvents((e) => got.push(e));
    got.length = 0;
    const c0 = k.counters();
    const r = await hping("++7200", 3);
    expect(r.stdout).not.toContain("flags=SA");
    const c = k.counters();
    expect(c.v4FragEvasion - c0.v4FragEvasion).toBe(3n);
    expect(c.dropped - c0.dropped).toBe(3n);
    k.pollScanEvents((e) => got.push(e));
    expect(got.length).toBe(1);
    expect(got[0]).toMatchObject({ src: pair.attacker.v4, family: 4, portCount: 3 });
    expect(got[0]!.ports).toContain(7200);
    // The open port no longer answers a fragmented SYN.
    expect((await hping(String(PORT), 1)).stdout).not.toContain("flags=SA");
  });
});
