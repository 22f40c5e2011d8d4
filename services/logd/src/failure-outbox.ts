/**
 * Fired jails on their way to scand (`hm/v1/logd/failure`, QoS 1). The broker keeps a QoS 1
 * message for a subscriber's persistent session while it is offline (busd keeps sessions across
 * its own restarts too), but it has nowhere to keep one published before scand ever subscribed:
 * MQTT delivers to the subscriptions that exist when the message arrives (MQTT 3.1.1 §3.3.5). On
 * a fresh install or a cold boot every service starts at once, and a jail that fires in that
 * window would be lost silently. So nothing is published until scand has been seen (its health
 * report, sent only after its start() subscribed; one client's packets are handled in order by
 * the broker), and a publish the bus refuses stays queued and is tried again. Bounded: beyond
 * `max` the oldest is dropped and counted. Refusals are retried every `retryMs` and reported once
 * per run of refusals (a broker away for an hour must not fill the log).
 */
export class FailureOutbox<T> {
  private readonly queue: T[] = [];
  private consumerSeen = false;
  private flushing = false;
  /** After a refusal: no attempt before this time, and no second report until one succeeds. */
  private retryAt = 0;
  private refusing = false;
  published = 0;
  /** Publish attempts the bus refused (kept and retried). */
  failed = 0;
  /** Dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly publish: (m: T) => Promise<void>,
    private readonly onError: (e: Error) => void = () => {},
    private readonly max = 1000,
    private readonly retryMs = 2000,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  push(m: T): void {
    if (this.queue.length >= this.max) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(m);
    void this.flush();
  }

  /** The consumer is known to be subscribed: from now on messages go out. */
  consumerUp(): void {
    if (this.consumerSeen) return;
    this.consumerSeen = true;
    void this.flush();
  }

  /** Sends what is queued, in order; stops at the first refusal (the caller retries later). */
  async flush(now = Date.now()): Promise<void> {
    if (!this.consumerSeen || this.flushing || now < this.retryAt) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const m = this.queue[0]!;
        try {
          await this.publish(m);
        } catch (e) {
          this.failed++;
          this.retryAt = now + this.retryMs;
          if (!this.refusing) this.onError(e as Error);
          this.refusing = true;
          return;
        }
        this.refusing = false;
        // the head may have been dropped by a push while we awaited: remove this message, not the head
        const i = this.queue.indexOf(m);
        if (i >= 0) this.queue.splice(i, 1);
        this.published++;
      }
    } finally {
      this.flushing = false;
    }
  }
}
