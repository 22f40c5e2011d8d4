import { count } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import type { TrapSession } from "@honeymesh/schema/trap";
import { sessions, type SessionCapture } from "@honeymesh/tables/trapd";

export type StoreSchema = { sessions: typeof sessions };
export type SessionRow = typeof sessions.$inferSelect;

const BATCH = 500;

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
    const db = this.store.db;
    db.transaction((tx) => {
      for (let i = 0; i < batch.length; i += 50) {
        const rows = batch.slice(i, i + 50).map((s) => ({
          sessionId: s.session_id,
          service: s.service,
          src: s.src,
          srcPort: s.src_port,
          dst: s.dst,
          dstPort: s.dst_port,
          startedAt: s.started_at,
          endedAt: s.ended_at,
          bytesIn: s.bytes_in,
          bytesOut: s.bytes_out,
          credentials: s.credentials,
          commands: s.commands,
          payload: Buffer.from(s.payload_b64, "base64"),
          entropy: s.entropy,
          meta: s.meta,
          endReason: s.end_reason,
          capture: captureOf(s),
        }));
        tx.insert(sessions).values(rows).onConflictDoNothing().run();
      }
    });
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
