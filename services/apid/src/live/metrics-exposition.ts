import type { Metrics } from "@honeymesh/schema/metrics";
import { metricKey, type Exposition } from "./prometheus.ts";

/**
 * One service's typed metrics as Prometheus samples: the named families dashboards use, then
 * every numeric leaf as `hm_service_detail{service,key}` (key = the leaf's path joined by `_`).
 */
export function exposeMetrics(e: Exposition, m: Metrics): void {
  const service = m.service;
  for (const [reason, n] of Object.entries(m.bus.rejected)) e.add("hm_bus_rejected_total", "counter", "bus messages rejected by the service's verifier, per reason", n, { service, reason });
  e.add("hm_bus_backlog", "gauge", "bus messages the service has not handed to the broker yet", m.bus.backlog, { service });
  e.add("hm_bus_published_total", "counter", "bodies the service published on the bus", m.bus.published, { service });
  e.add("hm_bus_signed_total", "counter", "signed bus messages that carried them (one per batch)", m.bus.signed, { service });
  switch (m.service) {
    case "enforcerd": {
      for (const [reason, n] of Object.entries(m.decisions.rejected)) e.add("hm_decisions_rejected_total", "counter", "decisions refused by enforcerd, per reason", n, { service, reason });
      for (const [outcome, n] of Object.entries(m.decisions.applied)) e.add("hm_decisions_applied_total", "counter", "decisions applied by enforcerd, per effect on the ban store", n, { outcome });
      const k = m.kernel;
      if (!k) break;
      e.add("hm_kernel_dropped_total", "counter", "packets dropped by XDP", k.dropped);
      e.add("hm_kernel_would_drop_total", "counter", "packets XDP would drop in test mode", k.would_drop);
      e.add("hm_kernel_passed_total", "counter", "packets XDP passed", k.passed);
      e.add("hm_kernel_syn_seen_total", "counter", "TCP SYNs seen by XDP", k.syn_seen);
      // Label values stay lower case, as they were when parsed from health detail names.
      for (const [reason, n] of Object.entries(k.dropped_by_reason)) e.add("hm_kernel_dropped_by_reason_total", "counter", "packets dropped by XDP, per reason", n, { service, reason: reason.toLowerCase() });
      for (const [reason, n] of Object.entries(k.would_drop_by_reason)) e.add("hm_kernel_would_drop_by_reason_total", "counter", "packets XDP would drop in test mode, per reason", n, { service, reason: reason.toLowerCase() });
      break;
    }
    case "trapd":
      for (const [reason, n] of Object.entries(m.drops)) e.add("hm_trap_drops_total", "counter", "trap connections closed at a limit, per limit", n, { service, reason });
      break;
    case "busd":
      for (const [reason, n] of Object.entries(m.refused)) e.add("hm_broker_refused_total", "counter", "clients or actions the broker refused, per reason", n, { reason });
      break;
    default:
      break;
  }
  for (const [key, v] of leaves(m, "")) e.add("hm_service_detail", "gauge", "every numeric metric of each service, by path", v, { service, key: metricKey(key) });
}

/** Numeric leaves of a metrics body; array items (mesh clusters) are keyed by their `name`. */
function* leaves(o: unknown, prefix: string): Generator<[string, number]> {
  if (typeof o === "number") {
    yield [prefix, o];
    return;
  }
  if (Array.isArray(o)) {
    for (const [i, item] of o.entries()) {
      const name = item && typeof item === "object" && typeof (item as { name?: unknown }).name === "string" ? (item as { name: string }).name : String(i);
      yield* leaves(item, `${prefix}_${name}`);
    }
    return;
  }
  if (o && typeof o === "object") for (const [k, v] of Object.entries(o)) yield* leaves(v, prefix ? `${prefix}_${k}` : k);
}
