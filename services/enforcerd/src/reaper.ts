import type { BanChange } from "@honeymesh/schema/ban";
import type { Logger } from "@honeymesh/telemetry/logger";
import { banChange } from "./decisions/ban-views.ts";
import type { KernelPort } from "./kernel-port.ts";
import type { BanStore } from "./store/ban-store.ts";

/**
 * Removes expired bans from the store and the kernel and announces them. The kernel already
 * passes an expired entry on its own (it compares the expiry per packet); this keeps maps small.
 */
export function reapOnce(store: BanStore, kernel: KernelPort | undefined, publish: (c: BanChange) => void, logger: Logger, now = Date.now()): number {
  let total = 0;
  for (;;) {
    const rows = store.expired(now, 5_000);
    if (rows.length === 0) return total;
    store.deleteMany(rows.map((r) => r.address));
    try {
      kernel?.removeBans(rows.map((r) => r.address));
    } catch (e) {
      logger.warn("kernel removal of expired bans failed; reconcile will retry", { err: e as Error });
    }
    for (const r of rows) publish(banChange("expired", r, now));
    total += rows.length;
    if (rows.length < 5_000) return total;
  }
}
