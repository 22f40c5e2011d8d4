import type { Statement } from "bun:sqlite";
import { count } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import type { TrapSession } from "@honeymesh/schema/trap";
import { sessions, type SessionCapture } from "@honeymesh/tables/trapd";

export type StoreSchema = { sessions: typeof sessions };
export type SessionRow = typeof sessions.$inferSelect;

const BATCH = 500;
const EMPTY = new Uint8Array(0);
// The columns of `sessions` (packages/tables/src/trapd.ts); a duplicate session_id is skipped as drizzle's onConflictDoNothing did.
const INSERT_SQL =
  "INSERT INTO sessions (session_id, service, src, src_port, dst, dst_port, started_at, ended_at, bytes_in, bytes_out, credentials, commands, payload, entropy, meta, end_reason, capture) " +
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

/** The interactive session's optional fields, as one JSON column (null for the rest). */
function captureOf(s: TrapSession): SessionCapture | null {
  const c: SessionCapture = {};
  if (s.command_at) c.command_at = s.command_at;
  if (s.indicators) c.indicators = s.indicators;
  if (s.persistence) c.persistence = s.persistence;
  if (s.files) c.files = s.files;
  if (s.transcript) c.transcript = s.transcript;
  return Object.keys(c).length ? c : null;
}

/**
 * Sessions written in batches (one transaction per flush, so thousands of closes per second cost
 * a few commits), through a bounded queue: beyond `maxQueued` a session is dropped and counted.
 */
export class SessionStore {
  private queue: TrapSession[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private insert: Statement | undefined;
  stored = 0;
  dropped = 0;
  pruned = 0;

  constructor(
    private readonly store: Store<StoreSchema>,
    private readonly maxQueued = 20_000,
    private readonly flushMs = 50,
  ) {}

  /** false when the queue is full (the caller counts it under store_backlog). */
  add(s: TrapSession): boolean {
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
      return false;
    }
    this.queue.push(s);
    if (this.queue.length >= BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
    return true;
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    // One prepared statement, bound per row inside one transaction: drizzle's insert builds and
    // parses the SQL text of every 50-row chunk anew, which cost more than the rest of a generic
    // trap connection together (bench/traps). Columns encoded as the drizzle table declares them
    // (json mode: JSON text; blob buffer mode: bytes), so drizzle reads them back unchanged.
    const insert = (this.insert ??= this.store.sqlite.prepare(INSERT_SQL));
    this.store.sqlite.transaction(() => {
      for (const s of batch) {
        const capture = captureOf(s);
        insert.run(
          s.session_id,
          s.service,
          s.src,
          s.src_port,
          s.dst,
          s.dst_port,
          s.started_at,
          s.ended_at,
          s.bytes_in,
          s.bytes_out,
          JSON.stringify(s.credentials),
          JSON.stringify(s.commands),
          s.payload_b64 ? Buffer.from(s.payload_b64, "base64") : EMPTY,
          s.entropy,
          JSON.stringify(s.meta),
          s.end_reason,
          capture ? JSON.stringify(capture) : null,
        );
      }
    })();
    this.stored += batch.length;
  }

  /** Deletes sessions older than `maxAgeMs` and all but the newest `maxRows`. */
  prune(maxAgeMs: number, maxRows: number, now = Date.now()): number {
    const byAge = this.store.sqlite.run("DELETE FROM sessions WHERE ended_at < ?", [now - maxAgeMs]);
    const byCount = this.store.sqlite.run("DELETE FROM sessions WHERE seq <= (SELECT seq FROM sessions ORDER BY seq DESC LIMIT 1 OFFSET ?)", [maxRows]);
    const n = byAge.changes + byCount.changes;
    this.pruned += n;
    return n;
  }

  count(): number {
    return this.store.db.select({ n: count() }).from(sessions).get()?.n ?? 0;
  }

  get queued(): number {
    return this.queue.length;
  }

  close(): void {
    this.flush();
    this.store.close();
  }
}
