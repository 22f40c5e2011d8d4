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
export interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}
interface Queue {
  items: string[];
  sizes: number[];
  waiters: Waiter[];
  bytes: number;
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
  private readonly queues = new Map<string, Queue>();
  private queuedBytes = 0;
  /** Messages signed and items carried: items ÷ messages is the batching factor. */
  messages = 0;
  items = 0;

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
      q = { items: [], sizes: [], waiters: [], bytes: 0, sending: false };
      this.queues.set(topic, q);
    }
    const queue = q;
    return new Promise<void>((resolve, reject) => {
      queue.items.push(json);
      queue.sizes.push(size);
      queue.waiters.push({ resolve, reject });
      queue.bytes += size;
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
      const taken = q.sizes.splice(0, n).reduce((s, i) => s + i, 0);
      q.bytes -= taken;
      this.queuedBytes -= taken;
      this.messages++;
      this.items += n;
      try {
        await this.send(topic, items);
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e as Error);
      }
    }
    q.sending = false;
    // A topic seen once is cheap to keep, but a client publishing to many topics should not hoard them.
    if (this.queues.size > 64) this.queues.delete(topic);
  }
}
