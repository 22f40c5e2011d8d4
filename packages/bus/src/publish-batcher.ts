/**
 * Group publishing for one bus client: per topic, at most one signed message is waiting for the
 * broker's PUBACK; whatever is published meanwhile waits here and goes out as one batch, under
 * one signature, when that acknowledgement arrives. An idle client therefore sends each item at
 * once, alone (no added latency), and a busy one signs once per round trip however many items
 * it produced: the cost per item falls as load rises (the group-commit idea).
 *
 * Order is kept per topic (MQTT keeps it per topic too, MQTT 3.1.1 §4.6). Bounded in bytes: past
 * `maxQueuedBytes` a publish is refused at once, so the caller counts it, and nothing grows
 * without limit while the broker is away.
 */
interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}
/** One topic's waiting items, their UTF-8 sizes and their publishers, index for index. */
interface Queue {
  items: string[];
  sizes: number[];
  waiters: Waiter[];
  sending: boolean;
}
export type SendBatch = (topic: string, items: readonly string[]) => Promise<void>;

export interface BatchLimits {
  /** Bytes of serialised items one message may carry (the signed message must stay under the bus's cap). */
  maxBytes: number;
  maxItems: number;
  /** Bytes waiting across all topics before publishes are refused. */
  maxQueuedBytes: number;
}

export class PublishBatcher {
  /** One queue per topic: a client publishes on `hm/v1/<itself>/<kind>` only, so a handful. */
  private readonly queues = new Map<string, Queue>();
  private queuedBytes = 0;

  constructor(
    private readonly send: SendBatch,
    private readonly limits: BatchLimits,
  ) {}

  /** Items not yet handed to the broker. */
  get queued(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.items.length;
    return n;
  }

  push(topic: string, json: string): Promise<void> {
    // UTF-8 bytes, not UTF-16 units: evidence may carry an attacker's non-ASCII text.
    const size = Buffer.byteLength(json);
    if (this.queuedBytes + size > this.limits.maxQueuedBytes) return Promise.reject(new Error(`publish queue full (${this.limits.maxQueuedBytes} bytes waiting for the broker)`));
    let q = this.queues.get(topic);
    if (!q) {
      q = { items: [], sizes: [], waiters: [], sending: false };
      this.queues.set(topic, q);
    }
    const queue = q;
    return new Promise<void>((resolve, reject) => {
      queue.items.push(json);
      queue.sizes.push(size);
      queue.waiters.push({ resolve, reject });
      this.queuedBytes += size;
      if (!queue.sending) void this.flush(topic, queue);
    });
  }

  private async flush(topic: string, q: Queue): Promise<void> {
    q.sending = true;
    while (q.items.length > 0) {
      // Take what fits: at least one item (a lone item over maxBytes goes alone; the verifier's cap judges it).
      let n = 0;
      let bytes = 0;
      while (n < q.items.length && n < this.limits.maxItems && (n === 0 || bytes + q.sizes[n]! + 1 <= this.limits.maxBytes)) bytes += q.sizes[n++]! + 1;
      const items = q.items.splice(0, n);
      const waiters = q.waiters.splice(0, n);
      this.queuedBytes -= q.sizes.splice(0, n).reduce((s, i) => s + i, 0);
      try {
        await this.send(topic, items);
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e as Error);
      }
    }
    q.sending = false;
  }
}
