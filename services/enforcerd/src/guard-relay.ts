import { context, type Tracer } from "@opentelemetry/api";
import type { GuardObservation } from "@honeymesh/schema/guard";
import type { Logger } from "@honeymesh/telemetry/logger";
import { sampleClocks } from "./kernel/codec.ts";
import { decodeGuardEvent } from "./kernel/guard.ts";
import { ringRelay } from "./ring-relay.ts";

type Publish = (o: GuardObservation, ctx: ReturnType<typeof context.active>) => Promise<void>;

/**
 * Relays the connection guard's reports (at most one per source per window, bpf/hm_guard.h) as
 * `hm/v1/enforcerd/guard` observations for scand, which decides. The same ring-buffer worker as
 * the scan events waits on the guard's ring buffer, so a report adds no polling delay.
 */
export function relayGuardEvents(eventsFd: number, publish: Publish, logger: Logger, tracer: Tracer) {
  return ringRelay(eventsFd, "guard event", (rec) => {
    const ev = decodeGuardEvent(rec, sampleClocks());
    if (!ev || ev.port === 0 || ev.connections === 0) return;
    return tracer.startActiveSpan("enforcerd.guard_event", { attributes: { "hm.src": ev.src, "hm.port": ev.port, "hm.connections": ev.connections } }, (span) => {
      return publish({ src: ev.src, port: ev.port, connections: ev.connections, window_s: Math.max(1, ev.windowS), at: ev.atMs }, context.active())
        .catch((err) => logger.warn("guard publish failed", { err }))
        .finally(() => span.end());
    });
  }, logger);
}
