import { eq, sql } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import { offenceHistory } from "@honeymesh/tables/scand";

type Schema = { offenceHistory: typeof offenceHistory };

/** Offence counts kept in scand's SQLite file, so escalation survives restarts. */
export class OffenceHistory {
  constructor(private readonly store: Store<Schema>) {}

  count(value: string): number {
    return this.store.db.select({ c: offenceHistory.count }).from(offenceHistory).where(eq(offenceHistory.value, value)).get()?.c ?? 0;
  }

  /** enforcerd numbers offences; keep the highest seen. */
  record(value: string, offence: number, at: number): void {
    this.store.db
      .insert(offenceHistory)
      .values({ value, count: offence, lastAt: at })
      .onConflictDoUpdate({ target: offenceHistory.value, set: { count: sql`max(${offenceHistory.count}, ${offence})`, lastAt: at } })
      .run();
  }
}
