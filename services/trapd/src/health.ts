import type { HealthReport } from "@honeymesh/runtime/health";
import { TRAP_LIMITS, type OwnMetrics, type SameNames } from "@honeymesh/schema/metrics";
import { TRAP_SERVICES } from "@honeymesh/schema/trap";
import type { LimitName } from "./core/limits.ts";
import type { TrapHub } from "./core/trap-hub.ts";
import type { Publisher } from "./publisher.ts";
import type { SessionStore } from "./store/session-store.ts";
import type { RunningTraps } from "./traps.ts";

// Every limit trapd enforces has its counter in the metrics, and no other name does.
const sameLimits: SameNames<LimitName, (typeof TRAP_LIMITS)[number]> = true;
void sameLimits;

/** Degraded while a configured trap could not listen. */
export function trapdHealth(traps: RunningTraps): HealthReport {
  const failed = Object.entries(traps.state).filter(([, s]) => s !== "listening");
  return { degraded: failed.slice(0, 32).map(([name, s]) => ({ code: "trap_failed", detail: `${name}: ${s}`.slice(0, 512) })) };
}

/** Traps, sessions, and every drop under its limit's name. */
export function trapdMetrics(traps: RunningTraps, hub: TrapHub, pub: Publisher, store: SessionStore): OwnMetrics<"trapd"> {
  return {
    traps_listening: Object.values(traps.state).filter((s) => s === "listening").length,
    traps_failed: traps.failed,
    sessions_active: hub.active,
    sessions_accepted: hub.accepted.pick(TRAP_SERVICES),
    sessions_finished: hub.finished,
    sessions_stored: store.stored,
    sessions_pruned: store.pruned,
    store_queued: store.queued,
    hits_published: pub.hits,
    hits_coalesced: pub.coalescer.suppressed,
    sessions_published: pub.sessions,
    publish_failed: pub.failed,
    publish_inflight: pub.inflight,
    drops: hub.drops.pick(TRAP_LIMITS),
  };
}
