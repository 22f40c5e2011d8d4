/**
 * Real packets through real XDP: attacker -> victim over a veth, HoneyMesh
 * attached natively on the victim's end. Every scenario asserts both the
 * blocked and the restored state, so a no-op program fails these tests.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import type { NetnsPair } from "../support/netns.ts";
import type { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { kernelSkipReason, xdpCtl, reach, startListener } from "./harness.ts";
import { closeEnforcerPair, openEnforcerPair } from "./enforcer-pair.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`SKIP test/kernel/enforce: ${skip}`);

const PORT = 8080;
const OPEN = { tcp4: true, icmp4: true, tcp6: true, icmp6: true };
const CLOSED = { tcp4: false, icmp4: false, tcp6: false, icmp6: false };
const V4_BLOCKED = { tcp4: false, icmp4: false, tcp6: true, icmp6: true };
const V6_BLOCKED = { tcp4: true, icmp4: true, tcp6: false, icmp6: false };
const MANUAL = 8;

describe.skipIf(!!skip)("XDP enforcement on a veth", () => {
  let pair: NetnsPair;
  let pinRoot: string;
  let k: KernelEnforcer;
  let listener: Subprocess | undefined;

  beforeAll(async () => {
    ({ pair, pinRoot, k } = openEnforcerPair());
    k.setMode("enforce");
    const a = await xdpCtl(pair, pinRoot, "attach", "native");
    expect(a.value).toMatchObject({ mode: "native" });
    listener = await startListener(pair, PORT);
  });

  afterAll(() => {
    listener?.kill();
    closeEnforcerPair({ pair, pinRoot, k });
  });

  const reset = () => {
    k.setMode("enforce");
    k.removeBans(k.listBans().map((b) => b.address));
    k.allowRemove(k.allowList());
  };

  test("XDP is attached natively and everything passes with no bans", async () => {
    const q = await xdpCtl(pair, pinRoot, "query");
    expect(q.value).toMatchObject({ attached: true, mode: "native" });
    expect(await reach(pair, PORT)).toEqual(OPEN);
  });

  test("exact IPv4 ban blocks TCP and ICMP; unban restores", async () => {
    reset();
    const before = k.counters();
    expect(k.upsertBans([{ address: pair.attacker.v4, reasons: MANUAL, expiresAtMs: 0 }])).toEqual({ count: 1, rejected: [] });
    expect(await reach(pair, PORT)).toEqual(V4_BLOCKED);
    const after = k.counters();
    expect(after.droppedByReason.MANUAL).toBeGreaterThan(before.droppedByReason.MANUAL);
    expect(after.dropped).toBeGreaterThan(before.dropped);
    expect(k.removeBans([pair.attacker.v4]).count).toBe(1);
    expect(await reach(pair, PORT)).toEqual(OPEN);
  });

  test("exact IPv6 ban blocks TCP and ICMPv6; unban restores", async () => {
    reset();
    k.upsertBans([{ address: pair.attacker.v6, reasons: MANUAL, expiresAtMs: 0 }]);
    expect(await reach(pair, PORT)).toEqual(V6_BLOCKED);
    expect(k.removeBans([pair.attacker.v6]).count).toBe(1);
    expect(await reach(pair, PORT)).toEqual(OPEN);
  });

  test("CIDR bans (v4 /24, v6 /64) block; removal restores", async () => {
    reset();
    const net4 = pair.attacker.v4.replace(/\.\d+$/, ".0/24");
    const net6 = `${pair.attacker.v6.replace(/::\d+$/, "::")}/64`;
    expect(k.upsertBans([{ address: net4, reasons: 64, expiresAtMs: 0 }, { address: net6, reasons: 64, expiresAtMs: 0 }])).toEqual({ count: 2, rejected: [] });
    expect(k.listBans().map((b) => b.address).sort()).toEqual([net4, net6].sort());
    expect(await reach(pair, PORT)).toEqual(CLOSED);
    expect(k.counters().droppedByReason.EXTERNAL).toBeGreaterThan(0n);
    expect(k.removeBans([net4, net6]).count).toBe(2);
    expect(await reach(pair, PORT)).toEqual(OPEN);
  });

  test("lockdown drops every non-allowlisted source; enforce restores", async () => {
    reset();
    const before = k.counters().lockdownDropped;
    k.setMode("lockdown");
    expect(await reach(pair, PORT)).toEqual(CLOSED);
    expect(k.counters().lockdownDropped).toBeGreaterThan(before);
    k.setMode("enforce");
    expect(await reach(pair, PORT)).toEqual(OPEN);
  });

  test("allowlist wins over exact bans, covering CIDR bans and lockdown", async () => {
    reset();
    const net4 = pair.attacker.v4.replace(/\.\d+$/, ".0/24");
    k.upsertBans([
      { address: pair.attacker.v4, reasons: MANUAL, expiresAtMs: 0 },
      { address: net4, reasons: MANUAL, expiresAtMs: 0 },
      { address: pair.attacker.v6, reasons: MANUAL, expiresAtMs: 0 },
    ]);
    k.allowAdd([pair.attacker.v4, `${pair.attacker.v6.replace(/::\d+$/, "::")}/64`]);
    expect(k.allowList().length).toBe(2);
    const before = k.counters().allowlistPassed;
    expect(await reach(pair, PORT)).toEqual(OPEN);
    k.setMode("lockdown");
    expect(await reach(pair, PORT)).toEqual(OPEN);
    expect(k.counters().allowlistPassed).toBeGreaterThan(before);
    // Without the allowlist the same state blocks: the assertion above can fail.
    k.allowRemove([pair.attacker.v4]);
    expect(await reach(pair, PORT)).toEqual(V4_BLOCKED);
  });

  test("test mode drops nothing and counts would-drops per reason", async () => {
    reset();
    k.setMode("test");
    const before = k.counters();
    k.upsertBans([{ address: pair.attacker.v4, reasons: 1 | 2, expiresAtMs: 0 }]);
    expect(await reach(pair, PORT)).toEqual(OPEN);
    const after = k.counters();
    expect(after.wouldDropByReason.TRAP).toBeGreaterThan(before.wouldDropByReason.TRAP);
    expect(after.wouldDropByReason.SCAN).toBeGreaterThan(before.wouldDropByReason.SCAN);
    expect(after.wouldDropByReason.MANUAL).toBe(before.wouldDropByReason.MANUAL);
    expect(after.wouldDrop).toBeGreaterThan(before.wouldDrop);
    expect(after.dropped).toBe(before.dropped);
  });

  test("an expired ban passes before userspace removes it; a live one expires in the kernel", async () => {
    reset();
    const before = k.counters().expiredPassed;
    k.upsertBans([{ address: pair.attacker.v4, reasons: MANUAL, expiresAtMs: Date.now() - 1000 }]);
    expect(k.listBans().length).toBe(1);
    expect(await reach(pair, PORT)).toEqual(OPEN);
    expect(k.counters().expiredPassed).toBeGreaterThan(before);

    const expiresAtMs = Date.now() + 2500;
    k.upsertBans([{ address: pair.attacker.v4, reasons: MANUAL, expiresAtMs }]);
    const listed = k.listBans()[0]!;
    expect(Math.abs(listed.expiresAtMs - expiresAtMs)).toBeLessThan(20);
    expect(await reach(pair, PORT)).toEqual(V4_BLOCKED);
    await Bun.sleep(Math.max(0, expiresAtMs - Date.now()) + 100);
    expect(await reach(pair, PORT)).toEqual(OPEN);
  });

  test("detach removes the program; traffic flows with bans still in the maps", async () => {
    reset();
    k.upsertBans([{ address: pair.attacker.v4, reasons: MANUAL, expiresAtMs: 0 }]);
    expect(await reach(pair, PORT)).toEqual(V4_BLOCKED);
    await xdpCtl(pair, pinRoot, "detach");
    expect((await xdpCtl(pair, pinRoot, "query")).value).toMatchObject({ attached: false });
    expect(await reach(pair, PORT)).toEqual(OPEN);
    // Re-attach (the bans in the pinned maps apply again at once).
    await xdpCtl(pair, pinRoot, "attach", "native");
    expect(await reach(pair, PORT)).toEqual(V4_BLOCKED);
  });
});
