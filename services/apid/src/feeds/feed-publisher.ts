import { newWriteId } from "@honeymesh/schema/decision";
import type { FeedResult, FeedUpdate } from "@honeymesh/schema/feed";

/** Bytes of address text per part: a signed part (base64url, envelope) stays under the bus's 64 KiB. */
const PART_BYTES = 36_000;
const PART_ITEMS = 4000;

export type PublishFeed = (u: FeedUpdate) => Promise<void>;

/** Splits a diff into bus parts: all adds first, then all removes (enforcerd applies them together). */
export function feedParts(feed: string, origin: string, at: number, add: readonly string[], remove: readonly string[], id = newWriteId("feed")): FeedUpdate[] {
  const parts: FeedUpdate[] = [];
  let cur: FeedUpdate = { id, feed, origin, part: 0, last: false, add: [], remove: [], at };
  let bytes = 0;
  const push = (list: "add" | "remove", a: string) => {
    if (bytes + a.length + 3 > PART_BYTES || cur.add.length + cur.remove.length >= PART_ITEMS) {
      parts.push(cur);
      cur = { id, feed, origin, part: parts.length, last: false, add: [], remove: [], at };
      bytes = 0;
    }
    cur[list].push(a);
    bytes += a.length + 3;
  };
  for (const a of add) push("add", a);
  for (const a of remove) push("remove", a);
  cur.last = true;
  parts.push(cur);
  return parts;
}

/** Waits for enforcerd's FeedResult by update id, bounded in time and in waiters. */
export class FeedResultWaiter {
  private readonly waiting = new Map<string, (r: FeedResult | undefined) => void>();

  accept(r: FeedResult): void {
    this.waiting.get(r.id)?.(r);
  }

  wait(id: string, timeoutMs: number): Promise<FeedResult | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const done = (r: FeedResult | undefined) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(r);
      };
      this.waiting.set(id, done);
    });
  }
}
