import { createNetnsPair, type NetnsPair } from "../support/netns.ts";
import { KernelEnforcer } from "../../services/enforcerd/src/kernel/kernel-enforcer.ts";
import { makePinRoot, removePinRoot, OBJECT } from "./harness.ts";

export interface EnforcerPair {
  pair: NetnsPair;
  pinRoot: string;
  k: KernelEnforcer;
}

/**
 * A fresh victim/attacker namespace pair and the real XDP program's maps on a private pin root
 * (not yet attached: callers set mode and scan first, then `xdpCtl(..., "attach")`).
 */
export function openEnforcerPair(): EnforcerPair {
  const pair = createNetnsPair();
  const pinRoot = makePinRoot();
  const opened = KernelEnforcer.open({ objectPath: OBJECT, pinRoot });
  if (!opened.ok) {
    pair.destroy();
    removePinRoot(pinRoot);
    throw new Error(opened.reason);
  }
  return { pair, pinRoot, k: opened.value };
}

/** Undoes `openEnforcerPair` (each part only if it was made), even after a failed set-up. */
export function closeEnforcerPair(p: Partial<EnforcerPair>): void {
  p.k?.close();
  p.pair?.destroy();
  if (p.pinRoot) removePinRoot(p.pinRoot);
}
