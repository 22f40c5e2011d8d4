import { Counters } from "@honeymesh/bus/counters";
import type { TrapHit, TrapService, TrapSession } from "@honeymesh/schema/trap";
import { Admission, type EndReason, type LimitName, type TrapLimits } from "./limits.ts";
import { GcPacer } from "./gc-pacer.ts";
import { SessionRecord, type Endpoint } from "./session-record.ts";

export interface TrapSinks {
  hit(h: TrapHit, rec: SessionRecord): void;
  session(s: TrapSession): void;
}

const CUTS = new Set<EndReason>(["idle_timeout", "total_timeout", "byte_cap", "line_cap", "write_backlog", "evicted"]);

/**
 * What every trap shares: admission under the concurrency caps, the sweep that enforces idle and
 * total timeouts, the byte cap, and the end of a session (exactly once) into the sinks.
 */
export class TrapHub {
  /** Every refused connection and every cut session, by the limit's name. */
  readonly drops = new Counters<LimitName>();
  readonly accepted = new Counters<TrapService>();
  private readonly admission: Admission;
  private readonly live = new Set<SessionRecord>();
  /** Live sessions by source, to find the one to evict (at most max_concurrent_per_source each). */
  private readonly bySource = new Map<string, Set<SessionRecord>>();
  private sweeper: ReturnType<typeof setInterval> | undefined;
  finished = 0;
  /** Frees closed connections' native memory under a flood (gc-pacer.ts). */
  readonly gc = new GcPacer();

  constructor(
    readonly limits: TrapLimits,
    private readonly sinks: TrapSinks,
  ) {
    this.admission = new Admission(limits.maxConcurrent, limits.maxPerSource, limits.maxPerPrefix);
  }

  get active(): number {
    return this.live.size;
  }

  /** A new connection: a record, or undefined when a cap refuses it (counted; close the socket). */
  open(at: Endpoint, kill: (reason: EndReason) => void): SessionRecord | undefined {
    let refused = this.admission.enter(at.src);
    if (refused === "max_concurrent") {
      // Full: a source holding fewer sessions than the heaviest still gets a slot, the heaviest's
      // oldest idle session closing for it, so idle connections from a few sources cannot keep
      // every new attacker out unrecorded.
      const victim = this.admission.victim(at.src);
      const old = victim === undefined ? undefined : this.oldestIdle(victim);
      if (old) {
        this.cut(old, "evicted");
        refused = this.admission.enter(at.src);
      }
    }
    if (refused) {
      this.drops.inc(refused);
      return undefined;
    }
    const rec = new SessionRecord(at, this.limits.sampleBytes, kill);
    this.live.add(rec);
    const mine = this.bySource.get(at.src);
    if (mine) mine.add(rec);
    else this.bySource.set(at.src, new Set([rec]));
    this.accepted.inc(at.service);
    this.sinks.hit(rec.hit(), rec);
    return rec;
  }

  /** Counts received bytes; false when the session went over the byte cap and was cut. */
  received(rec: SessionRecord, chunk: Uint8Array): boolean {
    if (rec.endReason) return false;
    rec.received(chunk);
    if (rec.bytesIn > this.limits.maxBytesIn) {
      this.cut(rec, "byte_cap");
      return false;
    }
    return true;
  }

  /** Ends a session at once for a reason (a cap, a timeout, shutdown): the transport closes it. */
  cut(rec: SessionRecord, reason: EndReason): void {
    if (rec.endReason) return;
    rec.endReason = reason;
    rec.kill(reason);
    // The transport's close callback normally finishes it; make sure even if it never comes.
    this.finish(rec, reason);
  }

  /** The transport saw the socket close: record and publish the session, once. */
  finish(rec: SessionRecord, reason: EndReason = "closed"): void {
    if (!this.live.delete(rec)) return;
    const mine = this.bySource.get(rec.at.src);
    if (mine?.delete(rec) && mine.size === 0) this.bySource.delete(rec.at.src);
    rec.endReason ??= reason;
    if (CUTS.has(rec.endReason)) this.drops.inc(rec.endReason as LimitName);
    rec.clearTimers();
    this.admission.leave(rec.at.src);
    this.finished++;
    rec.runEndHooks();
    this.sinks.session(rec.session());
    this.gc.note();
  }

  /** The session of a source that has been quiet the longest. */
  private oldestIdle(src: string): SessionRecord | undefined {
    let old: SessionRecord | undefined;
    for (const r of this.bySource.get(src) ?? []) if (!old || r.lastActivity < old.lastActivity) old = r;
    return old;
  }

  sweep(now = Date.now()): void {
    for (const rec of this.live) {
      if (now - rec.startedAt >= this.limits.totalMs) this.cut(rec, "total_timeout");
      else if (now - rec.lastActivity >= this.limits.idleMs) this.cut(rec, "idle_timeout");
    }
  }

  start(): void {
    // Resolution of a quarter of the shortest timeout (bounded 50 ms .. 1 s): one timer for all sessions.
    const every = Math.max(50, Math.min(1_000, Math.min(this.limits.idleMs, this.limits.totalMs) / 4));
    this.sweeper = setInterval(() => this.sweep(), every);
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const rec of [...this.live]) this.cut(rec, "shutdown");
  }
}
