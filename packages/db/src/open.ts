import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { drizzle, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { DbError } from "./errors.ts";

export interface OpenOptions<S extends Record<string, unknown>> {
  path: string;
  schema: S;
  /** drizzle-kit's output folder; applied at every start (already-applied steps are skipped). */
  migrationsFolder: string;
}

export interface Store<S extends Record<string, unknown>> {
  db: BunSQLiteDatabase<S>;
  sqlite: Database;
  close(): void;
}

/**
 * Opens a service's own SQLite file: WAL (readers such as apid never block the writer),
 * synchronous=NORMAL (durable at each checkpoint, safe against process crashes), migrations applied.
 */
export function openStore<S extends Record<string, unknown>>(opts: OpenOptions<S>): Store<S> {
  let sqlite: Database;
  try {
    mkdirSync(dirname(opts.path), { recursive: true });
    sqlite = new Database(opts.path, { create: true, strict: true });
    sqlite.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
  } catch (e) {
    throw new DbError("DB_OPEN", `cannot open database ${opts.path}: ${(e as Error).message}`);
  }
  const db = drizzle({ client: sqlite, schema: opts.schema });
  try {
    migrate(db, { migrationsFolder: opts.migrationsFolder });
  } catch (e) {
    sqlite.close();
    throw new DbError("DB_MIGRATE", `cannot migrate ${opts.path} from ${opts.migrationsFolder}: ${(e as Error).message}`);
  }
  return { db, sqlite, close: () => sqlite.close() };
}

/** A read-only view of another service's file (reads may cross services; writes never do). */
export function openReadOnly<S extends Record<string, unknown>>(path: string, schema: S): Store<S> {
  const sqlite = new Database(path, { readonly: true, strict: true });
  sqlite.exec("PRAGMA busy_timeout = 5000;");
  return { db: drizzle({ client: sqlite, schema }), sqlite, close: () => sqlite.close() };
}
