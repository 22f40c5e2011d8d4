import type { KernelPort } from "./kernel-port.ts";
import type { BanStore } from "./store/ban-store.ts";

export interface ReconcileReport {
  store: number;
  kernelBefore: number;
  written: number;
  removed: number;
  rejected: number;
  ms: number;
}

/**
 * Makes the kernel maps equal to the store (the source of truth) with batch calls: bans written
 * while enforcerd was down appear, bans removed meanwhile go, differing values are rewritten.
 */
export function reconcile(store: BanStore, kernel: KernelPort, now = Date.now()): ReconcileReport {
  const t0 = performance.now();
  const rows = store.active(now);
  const inKernel = new Map(kernel.listBans().map((b) => [b.target, b]));
  const want = new Set<string>();
  const toWrite: { target: string; reasons: number; expiresAtMs: number }[] = [];
  for (const r of rows) {
    want.add(r.value);
    const k = inKernel.get(r.value);
    // Kernel expiry goes through CLOCK_BOOTTIME ns, so allow a little rounding.
    if (!k || k.reasons !== r.reasons || Math.abs(k.expiresAtMs - r.expiresAt) > 2) toWrite.push({ target: r.value, reasons: r.reasons, expiresAtMs: r.expiresAt });
  }
  const toRemove = [...inKernel.keys()].filter((t) => !want.has(t));
  const w = toWrite.length ? kernel.upsertBans(toWrite) : { count: 0, rejected: [] };
  const d = toRemove.length ? kernel.removeBans(toRemove) : { count: 0, rejected: [] };
  return { store: rows.length, kernelBefore: inKernel.size, written: w.count, removed: d.count, rejected: w.rejected.length + d.rejected.length, ms: Math.round(performance.now() - t0) };
}
