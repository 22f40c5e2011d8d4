import { trace, type Tracer } from "@opentelemetry/api";
import type { Meta } from "@honeymesh/bus/client";
import type { BanChange } from "@honeymesh/schema/ban";
import type { Logger } from "@honeymesh/telemetry/logger";
import { traceparentOf } from "@honeymesh/telemetry/traceparent";
import { factFromBan } from "./facts/sanitize.ts";
import type { MeshCluster } from "./net/cluster.ts";

/**
 * enforcerd's ban changes → the mesh: only bans decided here (origin = this node), only for
 * the shared reasons, and global unbans as tombstones. A peer's ban applied here carries the
 * peer's origin, so it is never sent back out (no loops).
 */
export function shareLocalBans(clusters: readonly MeshCluster[], nodeId: string, shareMask: number, tracer: Tracer, logger: Logger) {
  return async (change: BanChange, meta: Meta): Promise<void> => {
    if (change.origin !== nodeId) return;
    await tracer.startActiveSpan("meshd.share", { attributes: { "hm.address": change.address.text, "hm.change": change.change } }, meta.ctx, async (span) => {
      try {
        const tp = traceparentOf(trace.setSpan(meta.ctx, span));
        for (const c of clusters) {
          const fact = factFromBan(change, shareMask, { cluster: c.name, nodeId, peerId: c.peerId }, tp);
          if (fact) await c.share(fact);
        }
      } catch (e) {
        logger.warn("sharing a ban failed", { address: change.address.text, err: e as Error });
      } finally {
        span.end();
      }
    });
  };
}
