import type { Fact } from "../facts/fact.ts";

export interface OutboxOptions {
  windowMs: number;
  maxItems: number;
  maxBytes: number;
  /** Seals and publishes one batch (never throws: failures are the sender's to count). */
  send(facts: Fact[]): Promise<void>;
}

/** A batch message's fixed part: version, cluster, origin peer id, batch id, signature, keys. */
const FRAME_BYTES = 320;

/**
 * Collects this node's own facts into batches. The first fact after a quiet window goes at
 * once (a lone ban pays no delay); under load facts wait at most `windowMs`, and a batch is
 * sent early when the next fact would pass the item or byte cap. Order is kept.
 */
export class Outbox {
  private pending: Fact[] = [];
  private bytes = FRAME_BYTES;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = -Infinity;

  constructor(private readonly o: OutboxOptions) {}

  add(f: Fact, now = performance.now()): void {
    // The item as it sits in the message: its JSON text as a JSON string, and a comma.
    const size = JSON.stringify(JSON.stringify(f)).length + 1;
    if (this.pending.length > 0 && (this.pending.length >= this.o.maxItems || this.bytes + size > this.o.maxBytes)) this.flush(now);
    this.pending.push(f);
    this.bytes += size;
    if (this.timer) return;
    const wait = this.lastSent + this.o.windowMs - now;
    if (wait <= 0) this.flush(now);
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(now = performance.now()): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const facts = this.pending;
    this.pending = [];
    this.bytes = FRAME_BYTES;
    this.lastSent = now;
    void this.o.send(facts);
  }

  get size(): number {
    return this.pending.length;
  }
}
