import type { BusClient } from "@honeymesh/bus/client";
import { BUS_REJECT_REASONS, type BusMetrics } from "@honeymesh/schema/metrics";

/** The bus client's own counters, the part of `hm/v1/<svc>/metrics` every service shares. */
export function busMetrics(bus: BusClient): BusMetrics {
  return {
    published: bus.stats.get("published"),
    signed: bus.stats.get("signed"),
    delivered: bus.stats.get("delivered"),
    backlog: bus.batches.queued,
    inbound: bus.backlog,
    rejected: bus.rejected.pick(BUS_REJECT_REASONS),
  };
}
