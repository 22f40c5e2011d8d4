import type { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { openReadOnly } from "@honeymesh/db/open";

/**
 * Another service's SQLite file, opened read-only when it appears (apid may start before its
 * owner has created it). A missing file or table reads as empty: the owner has not written yet.
 */
export class OwnerDb {
  private db: Database | undefined;
  private lastTry = 0;

  constructor(
    readonly path: string,
    private readonly onError: (e: Error) => void = () => {},
  ) {}

  handle(now = Date.now()): Database | undefined {
    if (this.db) return this.db;
    if (now - this.lastTry < 1000) return undefined;
    this.lastTry = now;
    if (!existsSync(this.path)) return undefined;
    try {
      this.db = openReadOnly(this.path, {}).sqlite;
    } catch (e) {
      this.onError(e as Error);
    }
    return this.db;
  }

  /** Runs a read; the empty value when the file or the table is not there (yet). */
  read<T>(fn: (db: Database) => T, empty: T): T {
    const db = this.handle();
    if (!db) return empty;
    try {
      return fn(db);
    } catch (e) {
      const msg = (e as Error).message;
      if (/no such table|no such column/i.test(msg)) return empty;
      this.onError(e as Error);
      return empty;
    }
  }

  columns(table: string): Set<string> {
    return this.read((db) => new Set(db.query<{ name: string }, []>(`PRAGMA table_info("${table.replace(/"/g, "")}")`).all().map((r) => r.name)), new Set<string>());
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}
