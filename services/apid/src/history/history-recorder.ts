import { and, gte, lt } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import { historyMinutes } from "@honeymesh/tables/apid-history";

export type HistorySchema = { historyMinutes: typeof historyMinutes };
export type HistoryRow = typeof historyMinutes.$inferSelect;

const MINUTE = 60_000;
/** Minutes kept: 31 days (44 640 rows of 9 integers, a few MB). */
export const HISTORY_KEEP_MS = 31 * 86_400_000;

interface Sources {
  /** Live bans now (enforcerd's store). */
  activeBans: () => number;
  /** The kernel's cumulative counters from enforcerd's latest metrics, if it reported a kernel. */
  kernel: () => { dropped: number; passed: number } | undefined;
}

/**
 * Counts what the bus shows in each wall-clock minute and writes one row when the minute ends.
 * Bounded: one row per minute, pruned past HISTORY_KEEP_MS; the counters are five integers.
 */
export class HistoryRecorder {
  private minute = Math.floor(Date.now() / MINUTE) * MINUTE;
  private c = { bansAdded: 0, bansEnded: 0, decisions: 0, hits: 0, sessions: 0 };
  private lastKernel: { dropped: number; passed: number } | undefined;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: Store<HistorySchema>,
    private readonly src: Sources,
  ) {
    this.lastKernel = src.kernel();
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref?.();
  }

  banAdded(): void {
    this.c.bansAdded++;
  }
  banEnded(): void {
    this.c.bansEnded++;
  }
  decision(): void {
    this.c.decisions++;
  }
  hit(): void {
    this.c.hits++;
  }
  sessions(n: number): void {
    this.c.sessions += n;
  }

  /** Writes the finished minute, if one finished (exposed for tests). */
  tick(now = Date.now()): void {
    const current = Math.floor(now / MINUTE) * MINUTE;
    if (current === this.minute) return;
    const k = this.src.kernel();
    // Counters restart with the XDP program (a reload): growth is then the new value itself.
    const delta = (now: number | undefined, before: number | undefined) => (now === undefined ? 0 : before === undefined || now < before ? now : now - before);
    const row: HistoryRow = {
      minute: this.minute,
      ...this.c,
      bansActive: this.src.activeBans(),
      xdpDropped: delta(k?.dropped, this.lastKernel?.dropped),
      xdpPassed: delta(k?.passed, this.lastKernel?.passed),
    };
    this.lastKernel = k;
    this.store.db.insert(historyMinutes).values(row).onConflictDoUpdate({ target: historyMinutes.minute, set: row }).run();
    this.store.db.delete(historyMinutes).where(lt(historyMinutes.minute, current - HISTORY_KEEP_MS)).run();
    this.minute = current;
    this.c = { bansAdded: 0, bansEnded: 0, decisions: 0, hits: 0, sessions: 0 };
  }

  rows(from: number, to: number): HistoryRow[] {
    return this.store.db.select().from(historyMinutes).where(and(gte(historyMinutes.minute, from), lt(historyMinutes.minute, to))).orderBy(historyMinutes.minute).all();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface HistoryPoint {
  /** Unix ms of the bucket's start. */
  t: number;
  /** Minutes recorded in the bucket (fewer than step/60 when apid was not running for some). */
  minutes: number;
  bans_added: number;
  bans_ended: number;
  /** At the end of the bucket's last recorded minute. */
  bans_active: number;
  decisions: number;
  hits: number;
  sessions: number;
  xdp_dropped: number;
  xdp_passed: number;
}

/** Buckets of `stepMs` from `from`; only buckets that hold recorded minutes appear. */
export function bucket(rows: readonly HistoryRow[], from: number, stepMs: number): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  for (const r of rows) {
    const t = from + Math.floor((r.minute - from) / stepMs) * stepMs;
    let p = out.at(-1);
    if (!p || p.t !== t) {
      p = { t, minutes: 0, bans_added: 0, bans_ended: 0, bans_active: 0, decisions: 0, hits: 0, sessions: 0, xdp_dropped: 0, xdp_passed: 0 };
      out.push(p);
    }
    p.minutes++;
    p.bans_added += r.bansAdded;
    p.bans_ended += r.bansEnded;
    p.bans_active = r.bansActive;
    p.decisions += r.decisions;
    p.hits += r.hits;
    p.sessions += r.sessions;
    p.xdp_dropped += r.xdpDropped;
    p.xdp_passed += r.xdpPassed;
  }
  return out;
}
