import type { OwnerDb } from "./owner-db.ts";

export interface RowFilter {
  /** column → exact value; a filter on a column the table lacks matches nothing. */
  equals: Record<string, string>;
  since?: number;
  until?: number;
  /** Exclusive upper bound on rowid (newest first). */
  before?: number;
}

const TIME_COLUMNS = ["started_at", "at", "last_seen", "ended_at", "created_at"];
const IDENT = /^[a-z_][a-z0-9_]{0,63}$/;

/** JSON text columns (arrays, objects) are returned parsed; blobs as base64 under `<name>_b64`. */
function decode(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Uint8Array) {
      delete row[k];
      row[`${k}_b64`] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
    } else if (typeof v === "string" && (v.startsWith("[") || v.startsWith("{"))) {
      try {
        row[k] = JSON.parse(v);
      } catch {
        // plain text that happens to start with a bracket
      }
    }
  }
  return row;
}

/**
 * Reads a table another service owns whose exact columns apid does not fix (trapd's sessions,
 * meshd's peers): newest first by rowid, filters only on columns the table has.
 */
export class TableReader {
  constructor(
    private readonly db: OwnerDb,
    readonly table: string,
  ) {}

  timeColumn(cols: Set<string>): string | undefined {
    return TIME_COLUMNS.find((t) => cols.has(t));
  }

  page(f: RowFilter, limit: number): { rowid: number; row: Record<string, unknown> }[] {
    const cols = this.db.columns(this.table);
    if (cols.size === 0) return [];
    const where: string[] = [];
    const args: (string | number)[] = [];
    for (const [col, value] of Object.entries(f.equals)) {
      if (!IDENT.test(col) || !cols.has(col)) return [];
      where.push(`"${col}" = ?`);
      args.push(value);
    }
    const tc = this.timeColumn(cols);
    if (tc && f.since !== undefined) where.push(`"${tc}" >= ?`), args.push(f.since);
    if (tc && f.until !== undefined) where.push(`"${tc}" < ?`), args.push(f.until);
    if (f.before !== undefined) where.push("rowid < ?"), args.push(f.before);
    const sql = `SELECT rowid AS __rowid, * FROM "${this.table}"${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY rowid DESC LIMIT ?`;
    return this.db.read(
      (db) =>
        (db.query(sql).all(...args, limit) as Record<string, unknown>[]).map((r) => {
          const { __rowid, ...row } = r;
          return { rowid: Number(__rowid), row: decode(row) };
        }),
      [],
    );
  }

  count(groupBy?: string): { total: number; groups: Record<string, number> } {
    const cols = this.db.columns(this.table);
    if (cols.size === 0) return { total: 0, groups: {} };
    return this.db.read(
      (db) => {
        const total = (db.query(`SELECT count(*) AS n FROM "${this.table}"`).get() as { n: number }).n;
        const groups: Record<string, number> = {};
        if (groupBy && IDENT.test(groupBy) && cols.has(groupBy))
          for (const r of db.query(`SELECT "${groupBy}" AS k, count(*) AS n FROM "${this.table}" GROUP BY "${groupBy}" ORDER BY n DESC LIMIT 50`).all() as { k: unknown; n: number }[]) groups[String(r.k)] = r.n;
        return { total, groups };
      },
      { total: 0, groups: {} },
    );
  }
}
