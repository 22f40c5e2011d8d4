import { expect, test } from "bun:test";
import { BAN_F_KERNEL } from "./kernel/layout.ts";
import type { KernelMadeBan } from "./kernel-ban-recorder.ts";
import { KernelBanSweep } from "./kernel-ban-sweep.ts";

const TTL = 600_000;
function setup(now: number) {
  const kernelBans = [
    { address: "192.0.2.1", reasons: 2, flags: BAN_F_KERNEL, expiresAtMs: now + TTL - 10_000 }, // lost event, old enough
    { address: "192.0.2.2", reasons: 2, flags: BAN_F_KERNEL, expiresAtMs: now + TTL - 500 }, // may still be in flight
    { address: "192.0.2.3", reasons: 2, flags: 0, expiresAtMs: now + TTL - 10_000 }, // recorded (flag cleared)
    { address: "192.0.2.4", reasons: 2, flags: BAN_F_KERNEL, expiresAtMs: now + TTL - 10_000 }, // store has it already
    { address: "192.0.2.5", reasons: 2, flags: BAN_F_KERNEL, expiresAtMs: now - 1 }, // expired
  ];
  let lost = 0;
  let reads = 0;
  const recorded: KernelMadeBan[] = [];
  const sweep = new KernelBanSweep({
    kernel: () => ({ listKernelMadeBans: () => (reads++, kernelBans.filter((b) => (b.flags & BAN_F_KERNEL) !== 0)) }),
    store: { get: (a: string) => (a === "192.0.2.4" ? ({ expiresAt: now + 60_000 } as never) : undefined) },
    record: async (b) => void recorded.push(...b),
    lost: () => lost,
    fastTtlMs: TTL,
  });
  return { sweep, recorded, kernelBans, setLost: (n: number) => (lost = n), reads: () => reads };
}

test("nothing lost: the kernel's ban map is not read", async () => {
  const now = Date.now();
  const s = setup(now);
  expect(await s.sweep.tick(now)).toBe(0);
  expect(s.reads()).toBe(0);
});

test("after a counted loss, unrecorded fast-path bans old enough are recorded, with their kernel time", async () => {
  const now = Date.now();
  const s = setup(now);
  s.setLost(3);
  expect(await s.sweep.tick(now)).toBe(1);
  expect(s.recorded).toEqual([{ address: "192.0.2.1", atMs: now - 10_000, expiresAtMs: now + TTL - 10_000 }]);
  // The young one keeps the sweep owed: it comes back without a new loss.
  s.kernelBans[1]!.flags = BAN_F_KERNEL;
  const later = now + 5_000;
  s.kernelBans[0]!.flags = 0; // recorded by the first sweep
  expect(await s.sweep.tick(later)).toBe(1);
  expect(s.recorded.at(-1)!.address).toBe("192.0.2.2");
  // Nothing young left and no new loss: the map is not read again.
  const reads = s.reads();
  s.kernelBans[1]!.flags = 0;
  await s.sweep.tick(later + 1_000);
  expect(s.reads()).toBe(reads);
});

test("a round takes at most 50 000 entries and comes back for the rest without a new loss", async () => {
  const now = Date.now();
  const all = Array.from({ length: 50_001 }, (_, i) => ({ address: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, reasons: 2, flags: BAN_F_KERNEL, expiresAtMs: now + TTL - 10_000 }));
  const recorded = new Set<string>();
  let asked = 0;
  const sweep = new KernelBanSweep({
    kernel: () => ({ listKernelMadeBans: (limit = Infinity) => (asked = limit, all.filter((b) => !recorded.has(b.address)).slice(0, limit)) }),
    store: { get: () => undefined },
    record: async (b) => void b.forEach((x) => recorded.add(x.address)),
    lost: () => 1,
    fastTtlMs: TTL,
  });
  expect(await sweep.tick(now)).toBe(50_000);
  expect(asked).toBe(50_000);
  expect(await sweep.tick(now + 2_000)).toBe(1);
  expect(recorded.size).toBe(50_001);
});
