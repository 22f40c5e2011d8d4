import type { Database, Statement } from "bun:sqlite";

export interface FeedRow {
  reasons: number;
  expires_at: number;
  source: string;
  evidence: string;
}

/**
 * The ban store's rows as a feed import touches them, through prepared statements on the same
 * SQLite file and tables BanStore owns: a million rows through the query builder would spend
 * seconds building objects (bench/feeds). Only the feed path uses it; every statement runs inside
 * the one transaction FeedApplier opens.
 */
export class FeedRows {
  private readonly getStmt: Statement<FeedRow, [string]>;
  private readonly tombStmt: Statement<{ at: number }, [string]>;
  private readonly insertStmt: Statement<unknown, [string, string, number, number, number, string, string, string]>;
  private readonly updateStmt: Statement<unknown, [number, string, number, string]>;
  private readonly deleteStmt: Statement<unknown, [string]>;

  constructor(private readonly db: Database) {
    this.getStmt = db.query("SELECT reasons, expires_at, source, evidence FROM bans WHERE address = ?");
    this.tombStmt = db.query("SELECT at FROM tombstones WHERE address = ?");
    // A feed ban is permanent (expires_at 0) until the feed drops the entry; offence 0: being on a
    // list is not an offence seen here, so it does not escalate this node's own later bans.
    this.insertStmt = db.query(
      "INSERT OR REPLACE INTO bans (address, kind, reasons, expires_at, created_at, updated_at, origin, source, offence, evidence) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, 0, ?8)",
    );
    this.updateStmt = db.query("UPDATE bans SET reasons = ?1, evidence = ?2, updated_at = ?3 WHERE address = ?4");
    this.deleteStmt = db.query("DELETE FROM bans WHERE address = ?");
  }

  inTransaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  get(address: string): FeedRow | null {
    return this.getStmt.get(address);
  }

  tombstoneAt(address: string): number | undefined {
    return this.tombStmt.get(address)?.at;
  }

  insert(address: string, kind: "ip" | "cidr", reasons: number, now: number, origin: string, source: string, evidence: string): void {
    this.insertStmt.run(address, kind, reasons, now, now, origin, source, evidence);
  }

  update(address: string, reasons: number, evidence: string, now: number): void {
    this.updateStmt.run(reasons, evidence, now, address);
  }

  delete(address: string): void {
    this.deleteStmt.run(address);
  }
}
