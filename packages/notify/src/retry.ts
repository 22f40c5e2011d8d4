import { NotifyError } from "./errors.ts";

/** The delivery counters every sender in this package keeps. */
export interface DeliveryStats {
  sent: number;
  failed: number;
  retried: number;
  last_error: string | null;
  last_sent_at: number | null;
}

/**
 * One delivery with retries: errors a NotifyError marks final (a 4xx, a refused key) are not
 * retried; others wait `backoffMs · 2^i` with ±25 % jitter, so many nodes do not hammer a
 * recovering receiver together. Counts into `stats`; never throws.
 */
export async function deliverWithRetries(send: () => Promise<void>, o: { retries: number; backoffMs: number; stopped: () => boolean }, stats: DeliveryStats): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await send();
      stats.sent++;
      stats.last_sent_at = Date.now();
      return;
    } catch (e) {
      const err = e as Error;
      stats.last_error = err.message.slice(0, 300);
      const retry = !(err instanceof NotifyError) || err.retry;
      if (!retry || i >= o.retries || o.stopped()) {
        stats.failed++;
        return;
      }
      stats.retried++;
      await Bun.sleep(o.backoffMs * 2 ** i * (0.75 + Math.random() * 0.5));
    }
  }
}
