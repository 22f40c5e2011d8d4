import { newWriteId } from "@honeymesh/schema/decision";
import type { FeedResult, FeedUpdate } from "@honeymesh/schema/feed";
import { canonicalV4 } from "@honeymesh/feeds/ipv4";
import { packV4 } from "@honeymesh/feeds/v4-pack";

/** Characters of addresses per part: a signed part (base64url, envelope) stays under the bus's 64 KiB. */
const PART_BYTES = 36_000;
/** Text entries per part (the schema's bound). */
const PART_ITEMS = 4000;
/** What one packed IPv4 address costs in a part (4 bytes as base64, rounded up). */
const V4_COST = 6;

export type PublishFeed = (u: FeedUpdate) => Promise<void>;

/**
 * Splits a diff into bus parts: all adds first, then all removes (enforcerd applies them
 * together). Plain IPv4 addresses travel packed (`add_v4`, `remove_v4`), the rest as text.
 */
export function feedParts(feed: string, origin: string, at: number, add: readonly string[], remove: readonly string[], id = newWriteId("feed")): FeedUpdate[] {
  const parts: FeedUpdate[] = [];
  const fresh = (): FeedUpdate => ({ id, feed, origin, part: parts.length, last: false, add: [], remove: [], add_v4: "", remove_v4: "", at });
  let cur = fresh();
  let v4 = { add: [] as number[], remove: [] as number[] };
  let bytes = 0;
  const close = () => {
    cur.add_v4 = packV4(v4.add);
    cur.remove_v4 = packV4(v4.remove);
    parts.push(cur);
  };
  const push = (list: "add" | "remove", a: string) => {
    const v = canonicalV4(a);
    const cost = v >= 0 ? V4_COST : a.length + 3;
    if (bytes + cost > PART_BYTES || (v < 0 && cur.add.length + cur.remove.length >= PART_ITEMS)) {
      close();
      cur = fresh();
      v4 = { add: [], remove: [] };
      bytes = 0;
    }
    if (v >= 0) v4[list].push(v);
    else cur[list].push(a);
    bytes += cost;
  };
  for (const a of add) push("add", a);
  for (const a of remove) push("remove", a);
  cur.last = true;
  close();
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
