import { getTableName } from "drizzle-orm";
import { bans } from "@honeymesh/tables/enforcerd";
import type { BanValues } from "../read/ban-reader.ts";
import type { OwnerDb } from "../read/owner-db.ts";
import type { CollectionFilter } from "./collections.ts";

const B = getTableName(bans);
const col = (c: { name: string }) => c.name;
/** The date an object version was added (TAXII 2.1 §3.4): when its ban last changed, which is its STIX `modified`. */
const ADDED = `MAX(${col(bans.createdAt)}, ${col(bans.updatedAt)})`;
// Same order as BanValues, so the STIX builder of /v1/feeds/stix serves both.
const COLUMNS = [`rowid`, col(bans.address), col(bans.kind), col(bans.reasons), col(bans.expiresAt), col(bans.createdAt), col(bans.updatedAt), col(bans.origin), col(bans.source), col(bans.offence), col(bans.evidence), col(bans.confidence), ADDED].join(", ");

/** A ban row and the date it was added to the collections. */
export type AddedRow = { values: BanValues; added: number };

/** Exclusive lower bound in (date added, address) order: where the next page starts. */
export interface Cursor {
  added: number;
  address: string;
}

/**
 * Pages of a collection's bans in the order TAXII asks for (date added, ascending, §3.4), read
 * from enforcerd's store (read-only). Keyset pagination on (date added, address), so a page costs
 * the same wherever it is and bans added meanwhile do not shift it.
 */
export class ObjectSource {
  constructor(
    private readonly db: OwnerDb,
    private readonly nodeId: string,
  ) {}

  private where(f: CollectionFilter, now: number, addedAfter: number | undefined, cursor: Cursor | undefined) {
    const w = [`(${col(bans.expiresAt)} = 0 OR ${col(bans.expiresAt)} > ?)`, `substr(${col(bans.source)}, 1, 5) != 'feed:'`];
    const args: (string | number)[] = [now];
    if (f.verifiedOnly) w.push(`${col(bans.confidence)} = 'verified'`);
    if (f.localOnly) w.push(`${col(bans.origin)} = ?`), args.push(this.nodeId);
    if (addedAfter !== undefined) w.push(`${ADDED} > ?`), args.push(addedAfter);
    if (cursor) w.push(`(${ADDED} > ? OR (${ADDED} = ? AND ${col(bans.address)} > ?))`), args.push(cursor.added, cursor.added, cursor.address);
    return { sql: `SELECT ${COLUMNS} FROM ${B} WHERE ${w.join(" AND ")} ORDER BY ${ADDED}, ${col(bans.address)} LIMIT ?`, args };
  }

  /** Up to `limit` rows after `cursor`, oldest first. */
  page(f: CollectionFilter, o: { addedAfter?: number; cursor?: Cursor; limit: number }, now = Date.now()): AddedRow[] {
    const { sql, args } = this.where(f, now, o.addedAfter, o.cursor);
    return this.db.read((db) => (db.query(sql).values(...args, o.limit) as unknown[][]).map((r) => ({ values: r.slice(0, 12) as BanValues, added: r[12] as number })), []);
  }

  /**
   * Every row that passes `keep`, oldest first, at most `max` of them: for filters on values
   * the store has no column for (a STIX id is a hash of the ban), read in pages of 1000.
   */
  scan(f: CollectionFilter, addedAfter: number | undefined, keep: (r: AddedRow) => boolean, max: number, now = Date.now()): AddedRow[] {
    const out: AddedRow[] = [];
    let cursor: Cursor | undefined;
    for (;;) {
      const rows = this.page(f, { addedAfter, cursor, limit: 1000 }, now);
      for (const r of rows) if (keep(r) && out.push(r) >= max) return out;
      if (rows.length < 1000) return out;
      const last = rows[rows.length - 1]!;
      cursor = { added: last.added, address: last.values[1] };
    }
  }
}
