import type { Fact } from "../facts/fact.ts";

export interface OutboxOptions {
  windowMs: number;
  maxItems: number;
  maxBytes: number;
  /**
   * Pacing: items per second and burst this node sends at most (its own [mesh] rate_per_s and
   * rate_burst, which its peers apply per origin). Without it, a node catching up on a backlog
   * (many local bans at once) would burst past its peers' limits, have the excess dropped and
   * be penalized for it. Unpaced when not given.
   */
  ratePerS?: number;
  burst?: number;
  /** Facts held while paced; beyond it the oldest are dropped (counted in `dropped`). */
  maxQueued?: number;
  /** Seals and publishes one batch (never throws: failures are the sender's to count). */
  send(facts: Fact[]): Promise<void>;
}

/** A batch message's fixed part: version, cluster, origin peer id, batch id, signature, keys. */
const FRAME_BYTES = 320;

/**
 * Collects this node's own facts into batches. The first fact after a quiet window goes at
 * once (a lone ban pays no delay); under load facts wait at most `windowMs`, and a batch is
 * sent early once it reaches the item or byte cap. With pacing, batches leave no faster than
 * the rate allows (a burst of local bans is spread out, not dropped by peers). Order is kept.
 */
export class Outbox {
  private queue: { f: Fact; size: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = -Infinity;
  private tokens: number;
  private refilledAt = performance.now();
  dropped = 0;

  constructor(private readonly o: OutboxOptions) {
    this.tokens = o.burst ?? Infinity;
  }

  add(f: Fact, now = performance.now()): void {
    if (this.queue.length >= (this.o.maxQueued ?? 100_000)) {
      this.queue.shift();
      this.dropped++;
    }
    // The item as it sits in the message: its JSON text as a JSON string, and a comma.
    this.queue.push({ f, size: JSON.stringify(JSON.stringify(f)).length + 1 });
    if (this.nextBatch().full) this.pump(now);
    else if (!this.timer) {
      const wait = this.lastSent + this.o.windowMs - now;
      if (wait <= 0) this.pump(now);
      else this.schedule(wait);
    }
  }

  /**
   * At stop: sends what the pacing allows now, without waiting for the window, and drops the
   * rest (counted in `dropped`); returns how many were dropped. Forcing the rest out would burst
   * past peers' per-origin limit, and each refused batch would count against this node.
   */
  flush(now = performance.now()): number {
    this.pump(now, true);
    clearTimeout(this.timer);
    this.timer = undefined;
    const unsent = this.queue.length;
    this.dropped += unsent;
    this.queue = [];
    return unsent;
  }

  get size(): number {
    return this.queue.length;
  }

  /** How many queued items make the next batch, and whether it is at a cap. */
  private nextBatch(): { n: number; full: boolean } {
    let n = 0;
    let bytes = FRAME_BYTES;
    while (n < this.queue.length && n < this.o.maxItems && (n === 0 || bytes + this.queue[n]!.size <= this.o.maxBytes)) bytes += this.queue[n++]!.size;
    return { n, full: n < this.queue.length || n >= this.o.maxItems };
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.pump(), Math.max(1, ms));
  }

  private pump(now = performance.now(), force = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rate = this.o.ratePerS;
    if (rate !== undefined) {
      this.tokens = Math.min(this.o.burst ?? Infinity, this.tokens + ((now - this.refilledAt) / 1000) * rate);
      this.refilledAt = now;
    }
    for (let first = true; this.queue.length > 0; first = false) {
      const next = this.nextBatch();
      // After one batch, the rest goes now only when it is a full batch; else after the window.
      if (!first && !next.full && !force) return this.schedule(this.o.windowMs);
      let n = next.n;
      if (rate !== undefined && this.tokens < n) {
        // Send what the budget allows; wait for the rest (at least a burst's worth, or the batch).
        n = Math.floor(this.tokens);
        if (n === 0) return force ? undefined : this.schedule(((Math.min(next.n, this.o.burst ?? next.n) - this.tokens) / rate) * 1000);
      }
      const facts = this.queue.splice(0, n).map((q) => q.f);
      if (rate !== undefined) this.tokens -= n;
      this.lastSent = now;
      void this.o.send(facts);
    }
  }
}
