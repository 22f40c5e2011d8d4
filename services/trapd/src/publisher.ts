import { ROOT_CONTEXT, trace, type Tracer } from "@opentelemetry/api";
import type { BusClient } from "@honeymesh/bus/client";
import type { TrapHit, TrapSession } from "@honeymesh/schema/trap";
import { HitCoalescer } from "./hit-coalescer.ts";
import { SessionBatcher } from "./session-batcher.ts";
import { RateLimitedGate } from "@honeymesh/telemetry/rate-limited";
import type { Logger } from "@honeymesh/telemetry/logger";

/**
 * Publishes hits and sessions (QoS 1) with a bound on what is in flight: a flood cannot make
 * trapd queue signatures and broker acks without limit. Over the bound a message is dropped
 * and counted (publish_backlog).
 */
export class Publisher {
  inflight = 0;
  hits = 0;
  sessions = 0;
  failed = 0;
  private readonly gate = new RateLimitedGate();
  private readonly batcher = new SessionBatcher((batch) => this.send(() => this.bus.publish("session", { sessions: batch }), () => (this.sessions += batch.length)));
  readonly coalescer: HitCoalescer;

  constructor(
    private readonly bus: Pick<BusClient, "publish">,
    private readonly tracer: Tracer,
    private readonly logger: Logger,
    private readonly onDrop: () => void,
    coalesceMs = 1000,
    private readonly maxInflight = 4096,
  ) {
    this.coalescer = new HitCoalescer(coalesceMs);
  }

  hit(h: TrapHit): void {
    if (!this.coalescer.admit(h.src, h.dst_port, h.at)) return;
    // A trace starts at the trap: scand, enforcerd and peers continue it (DESIGN §7).
    const span = this.tracer.startSpan("trapd.hit", { attributes: { "hm.src": h.src, "hm.service": h.service, "hm.session": h.session_id } });
    const ctx = trace.setSpan(ROOT_CONTEXT, span);
    this.send(() => this.bus.publish("hit", h, ctx), () => this.hits++, () => span.end());
  }

  session(s: TrapSession): void {
    this.batcher.add(s);
  }

  flush(): void {
    this.batcher.flush();
  }

  private send(fn: () => Promise<void>, ok: () => void, done?: () => void): void {
    if (this.inflight >= this.maxInflight) {
      this.onDrop();
      done?.();
      return;
    }
    this.inflight++;
    fn().then(ok, (e: Error) => {
      this.failed++;
      if (this.gate.pass(e.message) !== undefined) this.logger.warn("publish failed", { err: e });
    }).finally(() => {
      this.inflight--;
      done?.();
    });
  }
}

