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

  private where(f: CollectionFilter, now: number, addedAfter: number | undefined, cursor: Cursor | undefined, versions?: readonly number[]) {
    const w = [`(${col(bans.expiresAt)} = 0 OR ${col(bans.expiresAt)} > ?)`, `substr(${col(bans.source)}, 1, 5) != 'feed:'`];
    const args: (string | number)[] = [now];
    if (f.verifiedOnly) w.push(`${col(bans.confidence)} = 'verified'`);
    if (f.localOnly) w.push(`${col(bans.origin)} = ?`), args.push(this.nodeId);
    if (addedAfter !== undefined) w.push(`${ADDED} > ?`), args.push(addedAfter);
    if (versions) w.push(`${ADDED} IN (${versions.map(() => "?").join(",") || "NULL"})`), args.push(...versions);
    if (cursor) w.push(`(${ADDED} > ? OR (${ADDED} = ? AND ${col(bans.address)} > ?))`), args.push(cursor.added, cursor.added, cursor.address);
    return { sql: `SELECT ${COLUMNS} FROM ${B} WHERE ${w.join(" AND ")} ORDER BY ${ADDED}, ${col(bans.address)} LIMIT ?`, args };
  }

  /** Up to `limit` rows after `cursor`, oldest first. */
  page(f: CollectionFilter, o: { addedAfter?: number; cursor?: Cursor; limit: number; versions?: readonly number[] }, now = Date.now()): AddedRow[] {
    const { sql, args } = this.where(f, now, o.addedAfter, o.cursor, o.versions);
    return this.db.read((db) => (db.query(sql).values(...args, o.limit) as unknown[][]).map((r) => ({ values: r.slice(0, 12) as BanValues, added: r[12] as number })), []);
  }

  /**
   * The rows that pass `keep`, oldest first, at most `max`: for filters on values the store has no
   * column for (a STIX id is a hash of the ban). One pass in primary-key order (pages of 5000 on
   * the address index, no sort), then the few matches are sorted. The event loop turns between
   * pages: a pass over 200 000 bans takes ~0.8 s, which must not stall apid's other requests.
   */
  async scan(f: CollectionFilter, addedAfter: number | undefined, keep: (r: AddedRow) => boolean, max: number, now = Date.now()): Promise<AddedRow[]> {
    const { sql, args } = this.where(f, now, addedAfter, undefined);
    const byAddress = sql.replace(/ ORDER BY .*$/, ` AND ${col(bans.address)} > ? ORDER BY ${col(bans.address)} LIMIT 5000`);
    const out: AddedRow[] = [];
    let after = "";
    for (;;) {
      const rows = this.db.read((db) => db.query(byAddress).values(...args, after) as unknown[][], []);
      for (const r of rows) {
        const row = { values: r.slice(0, 12) as BanValues, added: r[12] as number };
        if (keep(row)) out.push(row);
      }
      if (rows.length < 5000 || out.length >= max) break;
      after = rows[rows.length - 1]![1] as string;
      await new Promise((r) => setImmediate(r));
    }
    return out.sort((a, b) => a.added - b.added || (a.values[1] < b.values[1] ? -1 : 1)).slice(0, max);
  }
}
