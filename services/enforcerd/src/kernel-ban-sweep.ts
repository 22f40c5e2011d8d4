import { isLive } from "@honeymesh/ban/liveness";
import { BAN_F_KERNEL } from "./kernel/layout.ts";
import type { KernelMadeBan } from "./kernel-ban-recorder.ts";
import type { KernelPort } from "./kernel-port.ts";
import type { BanStore } from "./store/ban-store.ts";

const CHUNK = 2_000;
const PER_TICK = 50_000;

export interface SweepDeps {
  kernel: () => Pick<KernelPort, "listKernelMadeBans"> | undefined;
  store: Pick<BanStore, "get">;
  record: (bans: KernelMadeBan[]) => Promise<unknown>;
  /** Fast-path ban events lost so far: the XDP program's full-ring count plus the recorder's own drops. */
  lost: () => number;
  /** The TTL the kernel gives its own bans, to tell an entry's age from its expiry. */
  fastTtlMs: number;
  /** Younger entries may still be on their way through the ring and the relay. */
  minAgeMs?: number;
}

/**
 * Under a storm the fast path bans faster than enforcerd can hear of it: what does not fit in
 * the ring buffer is dropped and counted by XDP, so the ban is in force in the kernel but the
 * store, the single writer of ban state, lacks it. Reconcile adopts such entries at start; this
 * does it while running, so nothing waits for a restart. It reads the kernel's ban map only
 * after a loss was counted (a 500 000-entry read costs about a second of CPU), and it keeps
 * coming back until no unrecorded entry is left that could still be in flight or beyond the
 * round's limit.
 */
export class KernelBanSweep {
  private seen = 0;
  private owed = false;
  /** A round still recording when the next tick comes (a long storm) is not overlapped. */
  private running = false;
  swept = 0;
  adopted = 0;

  constructor(private readonly d: SweepDeps) {}

  async tick(now = Date.now()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      return await this.round(now);
    } finally {
      this.running = false;
    }
  }

  private async round(now: number): Promise<number> {
    const lost = this.d.lost();
    if (lost > this.seen) this.owed = true;
    this.seen = lost;
    const kernel = this.d.kernel();
    if (!this.owed || !kernel) return 0;
    const minAge = this.d.minAgeMs ?? 2_000;
    const adopt: KernelMadeBan[] = [];
    let young = 0;
    // At most PER_TICK per round, so a sweep's own memory stays bounded; the rest waits 2 s.
    const made = kernel.listKernelMadeBans(PER_TICK);
    for (const k of made) {
      // The flag is cleared when enforcerd rewrites an entry it recorded.
      if ((k.flags & BAN_F_KERNEL) === 0 || k.expiresAtMs <= now) continue;
      const madeAt = k.expiresAtMs - this.d.fastTtlMs;
      if (now - madeAt < minAge) {
        young++;
        continue;
      }
      const row = this.d.store.get(k.address);
      if (row && isLive(row.expiresAt, now)) continue;
      adopt.push({ address: k.address, atMs: Math.min(madeAt, now), expiresAtMs: k.expiresAtMs });
    }
    this.swept++;
    this.owed = young > 0 || made.length >= PER_TICK;
    // In chunks, each awaited: one transaction and one bounded burst of bus messages at a time
    // (a single 450 000-ban batch took enforcerd past 2 GB and overflowed its publish queue).
    for (let i = 0; i < adopt.length; i += CHUNK) {
      const chunk = adopt.slice(i, i + CHUNK);
      this.adopted += chunk.length;
      await this.d.record(chunk);
    }
    return adopt.length;
  }
}
