/**
 * Pinned maps outlive the process that created them: a second open reuses
 * them (bans, allowlist and config survive close + reopen), and attaching a
 * newly loaded program replaces the old one atomically.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { createNetnsPair, type NetnsPair } from "../support/netns.ts";
import { kernelSkipReason, makePinRoot, removePinRoot, xdpCtl, OBJECT } from "./harness.ts";

const skip = kernelSkipReason();
if (skip) console.warn(`SKIP test/kernel/pins: ${skip}`);

const open = (pinRoot: string) => {
  const r = KernelEnforcer.open({ objectPath: OBJECT, pinRoot });
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe.skipIf(!!skip)("pinned maps and program replacement", () => {
  let pinRoot: string;
  let pair: NetnsPair | undefined;

  beforeAll(() => {
    pinRoot = makePinRoot();
  });

  afterAll(() => {
    pair?.destroy();
    removePinRoot(pinRoot);
  });

  test("bans, allowlist and config survive close + reopen", () => {
    const expires = Date.now() + 3_600_000;
    const a = open(pinRoot);
    a.upsertBans([
      { address: "203.0.113.9", reasons: 1 | 32, expiresAtMs: expires },
      { address: "2001:db8::9", reasons: 4, expiresAtMs: 0 },
      { address: "203.0.113.128/25", reasons: 64, expiresAtMs: 0 },
      { address: "2001:db8:1::/48", reasons: 8, expiresAtMs: 0 },
    ]);
    a.allowAdd(["127.0.0.0/8", "::1"]);
    a.setMode("lockdown");
    a.setScan(7, 42);
    a.setFastPath(true, 321);
    a.protectAdd(["192.0.2.53"]);
    const before = a.listBans().sort((x, y) => x.address.localeCompare(y.address));
    a.close();
    for (const m of ["hm_ban_v4", "hm_ban_v6", "hm_cidr_v4", "hm_allow_v6", "hm_config", "hm_counters", "hm_events"])
      expect(existsSync(`${pinRoot}/${m}`)).toBe(true);

    const b = open(pinRoot);
    try {
      const after = b.listBans().sort((x, y) => x.address.localeCompare(y.address));
      // Expiries are re-derived from a fresh CLOCK_BOOTTIME/unix sample on each read: ±a few ms.
      const exact = (l: typeof after) => l.map(({ expiresAtMs: _e, ...rest }) => rest);
      expect(exact(after)).toEqual(exact(before));
      after.forEach((x, i) => expect(Math.abs(x.expiresAtMs - before[i]!.expiresAtMs)).toBeLessThan(20));
      expect(after.map((x) => x.address).sort()).toEqual(["2001:db8:1::/48", "2001:db8::9", "203.0.113.128/25", "203.0.113.9"].sort());
      const v4 = after.find((x) => x.address === "203.0.113.9")!;
      expect(v4.reasons).toBe(33);
      expect(Math.abs(v4.expiresAtMs - expires)).toBeLessThan(20);
      expect(b.allowList().sort()).toEqual(["127.0.0.0/8", "::1"]);
      expect(b.config()).toEqual({ mode: "lockdown", scanThreshold: 7, scanWindowNs: 42_000_000_000n, fastPath: true, fastBanTtlS: 321 });
      expect(b.protectList()).toEqual(["192.0.2.53"]);
    } finally {
      b.close();
    }
  });

  test("batch upsert/remove of 100k exact bans and listBans round-trip", () => {
    const k = open(pinRoot);
    try {
      const addresses = Array.from({ length: 100_000 }, (_, i) => `100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);
      const six = Array.from({ length: 1000 }, (_, i) => `2001:db8:ff::${i.toString(16)}`);
      const r = k.upsertBans([...addresses, ...six].map((address) => ({ address, reasons: 2, expiresAtMs: 0 })));
      expect(r).toEqual({ count: 101_000, rejected: [] });
      expect(k.listBans().length).toBe(101_000 + 4);
      // Absent and invalid addresses are reported, not fatal.
      const rm = k.removeBans([...addresses, ...six, "100.200.0.1", "nonsense", "0.0.0.0/0"]);
      expect(rm.count).toBe(101_000);
      expect(rm.rejected.map((x) => x.address)).toEqual(["nonsense", "0.0.0.0/0"]);
      expect(k.listBans().length).toBe(4);
    } finally {
      k.close();
    }
  });

  test("attaching a newly loaded program replaces the old one atomically", async () => {
    pair = createNetnsPair();
    await xdpCtl(pair, pinRoot, "attach", "native");
    const first = (await xdpCtl(pair, pinRoot, "query")).value as { attached: boolean; progId: number; mode: string };
    expect(first).toMatchObject({ attached: true, mode: "native" });
    await xdpCtl(pair, pinRoot, "attach", "auto");
    const second = (await xdpCtl(pair, pinRoot, "query")).value as { attached: boolean; progId: number; mode: string };
    expect(second).toMatchObject({ attached: true, mode: "native" });
    expect(second.progId).not.toBe(first.progId);
    await xdpCtl(pair, pinRoot, "detach");
    expect((await xdpCtl(pair, pinRoot, "query")).value).toMatchObject({ attached: false, mode: "none" });
  });

  test("open() reports why BPF is unusable instead of throwing", () => {
    const missing = KernelEnforcer.open({ objectPath: "/nonexistent/honeymesh.bpf.o", pinRoot });
    expect(missing).toEqual({ ok: false, reason: "BPF object /nonexistent/honeymesh.bpf.o is missing: build it with make -C bpf." });
    const noBpffs = KernelEnforcer.open({ objectPath: OBJECT, pinRoot: "/tmp/not-bpffs" });
    expect(noBpffs.ok).toBe(false);
    if (!noBpffs.ok) expect(noBpffs.reason).toContain("No bpffs at /tmp/not-bpffs");
  });
});
