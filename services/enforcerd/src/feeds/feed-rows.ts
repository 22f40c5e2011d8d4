import type { Database, Statement } from "bun:sqlite";

export interface FeedRow {
  address: string;
  reasons: number;
  expires_at: number;
  source: string;
  evidence: string;
}

/** Addresses per statement: each goes to SQLite as one JSON array, read back with json_each. */
const CHUNK = 5000;

/**
 * The ban store's rows as a feed import touches them, through set-at-a-time statements on the same
 * SQLite file and tables BanStore owns: a million rows one call at a time through the query
 * builder would spend seconds crossing from JS to SQLite (bench/feeds). Only the feed path uses
 * it; every statement runs inside the one transaction FeedApplier opens.
 */
export class FeedRows {
  private readonly existingStmt: Statement<FeedRow, [string]>;
  private readonly tombStmt: Statement<{ address: string; at: number }, [string]>;
  private readonly insertStmt: Statement<unknown, [number, number, string, string, string, string]>;
  private readonly updateStmt: Statement<unknown, [number, string, number, string]>;
  private readonly deleteStmt: Statement<unknown, [string]>;

  constructor(private readonly db: Database) {
    this.existingStmt = db.query("SELECT b.address, b.reasons, b.expires_at, b.source, b.evidence FROM json_each(?1) j JOIN bans b ON b.address = j.value");
    this.tombStmt = db.query("SELECT t.address, t.at FROM json_each(?1) j JOIN tombstones t ON t.address = j.value");
    // A feed ban is permanent (expires_at 0) until the feed drops the entry; offence 0: being on a
    // list is not an offence seen here, so it does not escalate this node's own later bans.
    this.insertStmt = db.query(
      "INSERT OR REPLACE INTO bans (address, kind, reasons, expires_at, created_at, updated_at, origin, source, offence, evidence) SELECT value, CASE WHEN instr(value, '/') > 0 THEN 'cidr' ELSE 'ip' END, ?1, 0, ?2, ?2, ?3, ?4, 0, ?5 FROM json_each(?6)",
    );
    this.updateStmt = db.query("UPDATE bans SET reasons = ?1, evidence = ?2, updated_at = ?3 WHERE address = ?4");
    this.deleteStmt = db.query("DELETE FROM bans WHERE address IN (SELECT value FROM json_each(?1))");
  }

  inTransaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  /** The rows of those addresses that exist (live or not). */
  existing(addresses: readonly string[]): Map<string, FeedRow> {
    const out = new Map<string, FeedRow>();
    for (let i = 0; i < addresses.length; i += CHUNK) for (const r of this.existingStmt.all(JSON.stringify(addresses.slice(i, i + CHUNK)))) out.set(r.address, r);
    return out;
  }

  tombstones(addresses: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < addresses.length; i += CHUNK) for (const r of this.tombStmt.all(JSON.stringify(addresses.slice(i, i + CHUNK)))) out.set(r.address, r.at);
    return out;
  }

  insertMany(addresses: readonly string[], reasons: number, now: number, origin: string, source: string, evidence: string): void {
    for (let i = 0; i < addresses.length; i += CHUNK) this.insertStmt.run(reasons, now, origin, source, evidence, JSON.stringify(addresses.slice(i, i + CHUNK)));
  }

  update(address: string, reasons: number, evidence: string, now: number): void {
    this.updateStmt.run(reasons, evidence, now, address);
  }

  deleteMany(addresses: readonly string[]): void {
    for (let i = 0; i < addresses.length; i += CHUNK) this.deleteStmt.run(JSON.stringify(addresses.slice(i, i + CHUNK)));
  }
}
