import { eq, sql } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import { offenceHistory } from "@honeymesh/tables/scand";
import { Lru } from "./lru.ts";

type Schema = { offenceHistory: typeof offenceHistory };

/**
 * Offence counts kept in scand's SQLite file, so escalation survives restarts. Recent counts
 * are cached and new ones written in one transaction every `flushMs`: in a scan storm a write
 * per ban change was most of scand's CPU (bench/storm). A crash loses at most `flushMs` of
 * counts; enforcerd keeps its own, and numbers each ban's offence in the ban change.
 */
export class OffenceHistory {
  private readonly cache: Lru<string, number>;
  private readonly dirty = new Map<string, { count: number; at: number }>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: Store<Schema>,
    flushMs = 500,
    max = 200_000,
  ) {
    this.cache = new Lru(max);
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref?.();
  }

  count(value: string): number {
    const hit = this.cache.get(value);
    if (hit !== undefined) return hit;
    const n = this.store.db.select({ c: offenceHistory.count }).from(offenceHistory).where(eq(offenceHistory.address, value)).get()?.c ?? 0;
    this.cache.getOrCreate(value, () => n);
    return n;
  }

  /** enforcerd numbers offences; keep the highest seen. */
  record(value: string, offence: number, at: number): void {
    const n = Math.max(offence, this.cache.get(value) ?? 0);
    this.cache.delete(value);
    this.cache.getOrCreate(value, () => n);
    this.dirty.set(value, { count: n, at });
    // Bounded: a flood of distinct sources flushes early instead of growing the map.
    if (this.dirty.size >= 10_000) this.flush();
  }

  flush(): void {
    if (this.dirty.size === 0) return;
    const rows = [...this.dirty];
    this.dirty.clear();
    this.store.sqlite.transaction(() => {
      for (const [value, { count, at }] of rows) {
        this.store.db
          .insert(offenceHistory)
          .values({ address: value, count, lastAt: at })
          .onConflictDoUpdate({ target: offenceHistory.address, set: { count: sql`max(${offenceHistory.count}, ${count})`, lastAt: at } })
          .run();
      }
    })();
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
