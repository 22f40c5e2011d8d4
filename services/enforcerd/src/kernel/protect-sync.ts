import type { KernelEnforcer } from "./kernel-enforcer.ts";

/**
 * The kernel's protected set (hm_protect_v4/v6) := the protected set's entries, whatever their
 * source (resolvers, NTP, mesh peers, live sessions): the XDP fast path never bans inside one.
 * Adds what is missing and removes what is stale; returns how many entries changed.
 */
export function syncProtected(kernel: Pick<KernelEnforcer, "protectAdd" | "protectRemove" | "protectList">, entries: readonly { text: string }[]): number {
  const want = new Set(entries.map((e) => e.text));
  const have = new Set(kernel.protectList());
  const stale = [...have].filter((t) => !want.has(t));
  const missing = [...want].filter((t) => !have.has(t));
  if (stale.length) kernel.protectRemove(stale);
  if (missing.length) kernel.protectAdd(missing);
  return stale.length + missing.length;
}
