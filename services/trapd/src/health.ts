import type { HealthReport } from "@honeymesh/runtime/health";
import type { LimitName } from "./core/limits.ts";
import type { TrapHub } from "./core/trap-hub.ts";
import type { Publisher } from "./publisher.ts";
import type { SessionStore } from "./store/session-store.ts";
import type { RunningTraps } from "./traps.ts";

const LIMITS: LimitName[] = ["max_concurrent", "max_concurrent_per_source", "max_concurrent_per_prefix", "no_peer_address", "idle_timeout", "total_timeout", "byte_cap", "line_cap", "write_backlog", "evicted", "publish_backlog", "store_backlog"];

/** Traps, sessions, and every drop under its limit's name (drop_<limit>), for health and status. */
export function trapdHealth(traps: RunningTraps, hub: TrapHub, pub: Publisher, store: SessionStore): HealthReport {
  const details: HealthReport["details"] = {
    traps_listening: Object.values(traps.state).filter((s) => s === "listening").length,
    traps_failed: traps.failed,
    sessions_active: hub.active,
    sessions_accepted_total: hub.accepted.total(),
    sessions_finished_total: hub.finished,
    sessions_stored_total: store.stored,
    sessions_pruned_total: store.pruned,
    store_queued: store.queued,
    hits_published_total: pub.hits,
    hits_coalesced_total: pub.coalescer.suppressed,
    sessions_published_total: pub.sessions,
    publish_failed_total: pub.failed,
    publish_inflight: pub.inflight,
    drops_total: hub.drops.total(),
  };
  for (const l of LIMITS) details[`drop_${l}`] = hub.drops.get(l);
  for (const [svc, n] of Object.entries(hub.accepted.snapshot())) details[`accepted_${svc}`] = n;
  for (const [name, s] of Object.entries(traps.state)) details[`trap_${name}`] = s;
  return { status: traps.failed > 0 ? "degraded" : "ok", details };
}
