import type { Context } from "@opentelemetry/api";
import { Counters } from "@honeymesh/bus/counters";
import type { Decision } from "@honeymesh/schema/decision";

/**
 * Rate limit with backpressure for a decision storm: a token bucket of `perSecond`, a bounded
 * queue behind it; a decision that finds the queue full is dropped and counted, never silently.
 */
export class DecisionQueue {
  readonly counters = new Counters<"published" | "dropped_queue_full" | "publish_failed">();
  private readonly queue: { d: Decision; ctx: Context }[] = [];
  private tokens: number;
  private last = performance.now();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly perSecond: number,
    private readonly max: number,
    private readonly publish: (d: Decision, ctx: Context) => Promise<void>,
    /** While false, decisions wait in the queue (enforcerd not yet listening, see PeerGate). */
    private readonly canPublish: () => boolean = () => true,
  ) {
    this.tokens = perSecond;
  }

  /** The gate opened: publish what waited. */
  release(): void {
    this.pump();
  }

  get depth(): number {
    return this.queue.length;
  }

  push(d: Decision, ctx: Context): boolean {
    if (this.queue.length >= this.max) {
      this.counters.inc("dropped_queue_full");
      return false;
    }
    this.queue.push({ d, ctx });
    this.pump();
    return true;
  }

  private pump(): void {
    if (!this.canPublish()) return;
    const now = performance.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens--;
      const { d, ctx } = this.queue.shift()!;
      this.publish(d, ctx).then(
        () => this.counters.inc("published"),
        () => this.counters.inc("publish_failed"),
      );
    }
    if (this.queue.length > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, Math.ceil(1000 / this.perSecond) + 1);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
