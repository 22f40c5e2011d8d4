import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import * as schema from "@honeymesh/tables/logd";

export interface Position {
  inode: number;
  offset: number;
  lastLineHash: string;
}

export interface FailureRow {
  jail: string;
  address: string;
  at: number;
}

/** What a batch of lines did to the failure windows, in line order. */
export type WindowOp = { op: "add"; row: FailureRow } | { op: "spent"; jail: string; address: string };

/** logd's own SQLite: read positions and the failures inside their window, written together. */
export class LogdStore {
  private seq: number;
  // prepared once: a busy log commits thousands of failures a second
  private readonly insert;
  constructor(private readonly store: Store<typeof schema>) {
    this.insert = store.db
      .insert(schema.failures)
      .values({ jail: sql.placeholder("jail"), address: sql.placeholder("address"), at: sql.placeholder("at"), seq: sql.placeholder("seq") })
      .prepare();
    const row = store.db.select({ m: sql<number>`coalesce(max(${schema.failures.seq}), 0)` }).from(schema.failures).get();
    this.seq = row?.m ?? 0;
  }

  position(path: string): Position | undefined {
    const r = this.store.db.select().from(schema.positions).where(eq(schema.positions.path, path)).get();
    return r ? { inode: r.inode, offset: r.offset, lastLineHash: r.lastLineHash } : undefined;
  }

  /** The failures a batch of lines produced and the position after it, in one transaction. */
  commit(path: string, pos: Position, ops: readonly WindowOp[], now = Date.now()): void {
    this.store.db.transaction((tx) => {
      for (const o of ops) {
        if (o.op === "add") this.insert.run({ ...o.row, seq: ++this.seq });
        // a jail fired for this address: its counted failures are spent (Fail2Ban resets them too)
        else tx.delete(schema.failures).where(and(eq(schema.failures.jail, o.jail), eq(schema.failures.address, o.address))).run();
      }
      tx.insert(schema.positions)
        .values({ path, ...pos, updatedAt: now })
        .onConflictDoUpdate({ target: schema.positions.path, set: { ...pos, updatedAt: now } })
        .run();
    });
  }

  /** Failures per (jail, address) at or after `since`, for rebuilding the windows at start. */
  recent(since: number): FailureRow[] {
    return this.store.db
      .select({ jail: schema.failures.jail, address: schema.failures.address, at: schema.failures.at })
      .from(schema.failures)
      .where(gte(schema.failures.at, since))
      .orderBy(schema.failures.seq)
      .all();
  }

  prune(before: number): void {
    this.store.db.delete(schema.failures).where(lt(schema.failures.at, before)).run();
  }

  close(): void {
    this.store.close();
  }
}
