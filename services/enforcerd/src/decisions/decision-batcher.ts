import type { Context } from "@opentelemetry/api";
import type { Decision } from "@honeymesh/schema/decision";
import type { Logger } from "@honeymesh/telemetry/logger";

const MAX_BATCH = 2_000;

/**
 * Gathers the decisions that arrive together (everything the bus hands over before the event
 * loop turns) into one batch for the applier. Bounded: past `maxPending` a decision is dropped
 * and counted; the store and kernel stay consistent because nothing partial is ever written.
 */
export class DecisionBatcher {
  private pending: { d: Decision; ctx: Context }[] = [];
  private scheduled = false;
  dropped = 0;
  batches = 0;

  constructor(
    private readonly apply: (items: { d: Decision; ctx: Context }[]) => Promise<void>,
    private readonly logger: Logger,
    private readonly maxPending = 50_000,
  ) {}

  get depth(): number {
    return this.pending.length;
  }

  push(d: Decision, ctx: Context): void {
    if (this.pending.length >= this.maxPending) {
      this.dropped++;
      return;
    }
    this.pending.push({ d, ctx });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.pending.splice(0, MAX_BATCH);
      this.batches++;
      // The store and kernel part of a batch is synchronous, so batches apply in arrival order.
      this.apply(batch).catch((e) => this.logger.error("decision batch failed", { err: e as Error, size: batch.length }));
      if (this.pending.length > 0) this.schedule();
    });
  }
}
