import { BAN_F_KERNEL } from "./kernel/layout.ts";
import type { KernelMadeBan } from "./kernel-ban-recorder.ts";
import type { KernelPort } from "./kernel-port.ts";
import type { BanStore } from "./store/ban-store.ts";

export interface ReconcileReport {
  store: number;
  readStoreMs: number;
  readKernelMs: number;
  kernelBefore: number;
  written: number;
  removed: number;
  rejected: number;
  /** Live kernel-made (fast-path) bans the store lacks: kept in the kernel, to be recorded (KernelBanRecorder). */
  adopted: number;
  ms: number;
}

/**
 * Makes the kernel maps equal to the store (the source of truth) with batch calls: bans written
 * while enforcerd was down appear, bans removed meanwhile go, differing values are rewritten.
 * One exception: a live entry the XDP fast path made (flag BAN_F_KERNEL) that the store lacks
 * is a ban enforcerd never heard of (it was down, or the event was lost): it stays, and is
 * returned in `adopt` for the caller to record in the store.
 */
export function reconcile(store: BanStore, kernel: KernelPort, now = Date.now()): ReconcileReport & { adopt: KernelMadeBan[] } {
  const t0 = performance.now();
  const rows = store.activeEntries(now);
  const readStoreMs = Math.round(performance.now() - t0);
  const kernelBans = kernel.listBans();
  const readKernelMs = Math.round(performance.now() - t0) - readStoreMs;
  const want = new Map<string, (typeof rows)[number] | null>();
  for (const r of rows) want.set(r.address, r);
  const toRemove: string[] = [];
  const adopt: KernelMadeBan[] = [];
  for (const k of kernelBans) {
    const r = want.get(k.address);
    if (r === undefined && (k.flags & BAN_F_KERNEL) !== 0 && k.expiresAtMs > now) adopt.push({ address: k.address, atMs: now, expiresAtMs: k.expiresAtMs });
    else if (r === undefined) toRemove.push(k.address);
    // Kernel expiry goes through CLOCK_BOOTTIME ns, so allow a little rounding.
    else if (r !== null && r.reasons === k.reasons && Math.abs(k.expiresAtMs - r.expiresAt) <= 50) want.set(k.address, null);
  }
  const toWrite: { address: string; reasons: number; expiresAtMs: number }[] = [];
  for (const r of want.values()) if (r) toWrite.push({ address: r.address, reasons: r.reasons, expiresAtMs: r.expiresAt });
  const w = toWrite.length ? kernel.upsertBans(toWrite) : { count: 0, rejected: [] };
  const d = toRemove.length ? kernel.removeBans(toRemove) : { count: 0, rejected: [] };
  return { store: rows.length, readStoreMs, readKernelMs, kernelBefore: kernelBans.length, written: w.count, removed: d.count, rejected: w.rejected.length + d.rejected.length, adopted: adopt.length, ms: Math.round(performance.now() - t0), adopt };
}
