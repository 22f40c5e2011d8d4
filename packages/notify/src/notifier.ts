import { digestOf, type NotifyEvent } from "./events.ts";
import { deliverWithRetries } from "./retry.ts";
import type { Message } from "./payload.ts";

export interface NotifierOptions {
  /** Sends one message; throws (NotifyError.retry says whether another attempt may help). */
  deliver: (m: Message) => Promise<void>;
  /** How often queued events go out, in ms. */
  flushMs: number;
  /** Up to this many events in one flush go out one message each; more become one digest. */
  itemiseMax: number;
  /** Messages per minute (token bucket of `itemiseMax` burst); past it events wait and then digest. */
  ratePerMin: number;
  /** Events held for the next flush; past it they are only counted (the digest says how many). */
  maxQueue: number;
  /** Messages waiting for delivery; past it a message is dropped and counted. */
  maxOutbox: number;
  /** Further attempts after a failed delivery, with exponential backoff from `backoffMs`. */
  retries: number;
  backoffMs: number;
}

export interface NotifierStats {
  accepted: number;
  /** Events past `maxQueue`: not itemised, counted in the next digest. */
  overflowed: number;
  sent: number;
  digests: number;
  retried: number;
  failed: number;
  /** Messages dropped because the outbox was full. */
  dropped: number;
  queued: number;
  last_error: string | null;
  last_sent_at: number | null;
}

/**
 * One notification target's pipeline. `accept` is constant time and never waits, so the bus
 * handler that feeds it (and so the decision path) never blocks on a slow receiver; everything
 * behind it is bounded: the event queue, the outbox, the attempts.
 */
export class Notifier {
  private events: NotifyEvent[] = [];
  private overflow = 0;
  private readonly outbox: Message[] = [];
  private tokens: number;
  private refilledAt = Date.now();
  private pumping = false;
  private stopped = false;
  private readonly timer: ReturnType<typeof setInterval>;
  readonly stats: NotifierStats = { accepted: 0, overflowed: 0, sent: 0, digests: 0, retried: 0, failed: 0, dropped: 0, queued: 0, last_error: null, last_sent_at: null };

  constructor(private readonly o: NotifierOptions) {
    this.tokens = Math.max(1, o.itemiseMax);
    this.timer = setInterval(() => this.flush(), o.flushMs);
    this.timer.unref?.();
  }

  accept(e: NotifyEvent): void {
    if (this.stopped) return;
    this.stats.accepted++;
    if (this.events.length >= this.o.maxQueue) {
      this.overflow++;
      this.stats.overflowed++;
      return;
    }
    this.events.push(e);
  }

  /** Sends one message now, outside the queue, once, and reports how it went (`honeymesh notify test`). */
  async sendNow(m: Message): Promise<void> {
    try {
      await this.o.deliver(m);
      this.stats.sent++;
      this.stats.last_sent_at = Date.now();
    } catch (e) {
      this.stats.failed++;
      this.stats.last_error = (e as Error).message.slice(0, 300);
      throw e;
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private refill(now: number): void {
    const burst = Math.max(1, this.o.itemiseMax);
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 60_000) * this.o.ratePerMin);
    this.refilledAt = now;
  }

  /** Exposed for tests; the timer calls it every `flushMs`. */
  flush(now = Date.now()): void {
    this.refill(now);
    const n = this.events.length + this.overflow;
    if (n === 0) return;
    if (this.overflow === 0 && n <= this.o.itemiseMax && this.tokens >= n) {
      for (const event of this.events) this.enqueue({ kind: "event", event });
      this.tokens -= n;
    } else if (this.tokens >= 1) {
      this.enqueue({ kind: "digest", digest: digestOf(this.events, this.overflow) });
      this.stats.digests++;
      this.tokens -= 1;
    } else return; // out of budget: the events wait (bounded) and go out as a digest later
    this.events = [];
    this.overflow = 0;
    this.stats.queued = this.outbox.length;
    void this.pump();
  }

  private enqueue(m: Message): void {
    if (this.outbox.length >= this.o.maxOutbox) {
      this.stats.dropped++;
      return;
    }
    this.outbox.push(m);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.outbox.length > 0 && !this.stopped) {
        const m = this.outbox.shift()!;
        this.stats.queued = this.outbox.length;
        await this.attempts(m).catch(() => {});
      }
    } finally {
      this.pumping = false;
    }
  }

  private attempts(m: Message): Promise<void> {
    return deliverWithRetries(() => this.o.deliver(m), { retries: this.o.retries, backoffMs: this.o.backoffMs, stopped: () => this.stopped }, this.stats);
  }
}
