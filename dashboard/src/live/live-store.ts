import type { BanEvent, DecisionEvent, LiveEvent, Session } from "../api/types.ts";
import { markUpdate } from "../ui/perf.ts";
import { Signal } from "../ui/signal.ts";

/** What the node currently knows about one source address, joined into every row about it. */
export interface SourceState {
  decision?: DecisionEvent;
  ban?: BanEvent;
}

export interface Bucket {
  t: number;
  hits: number;
  decisions: number;
  added: number;
  removed: number;
}

const MAX_EVENTS = 2000;
const MAX_SOURCES = 20_000;
const MAX_SESSIONS = 5000;
const MAX_DECISIONS = 100;
const BUCKET_MS = 10_000;
const MAX_BUCKETS = 360;
const FLUSH_MS = 100;

/** Deletes the oldest entries (Map keeps insertion order) until the map fits. */
function trim<K, V>(m: Map<K, V>, max: number): void {
  if (m.size <= max) return;
  let n = m.size - max;
  for (const k of m.keys()) {
    if (n-- <= 0) break;
    m.delete(k);
  }
}

/**
 * Everything the views show from the live stream, bounded: the last MAX_EVENTS events, the state
 * of each recent source, trap sessions by id, counts per 10 s. Events arrive at any rate; the
 * views are told at most every FLUSH_MS (1 000 events/s → 10 renders/s of ~100 rows each).
 */
export class LiveStore {
  /** Newest first. */
  events: LiveEvent[] = [];
  total = 0;
  /** Events read from the lists on load rather than received live. */
  backfilled = 0;
  readonly sources = new Map<string, SourceState>();
  readonly sessions = new Map<string, Session>();
  readonly decisions: { d: DecisionEvent; received: number; appliedAt?: number; change?: string }[] = [];
  readonly buckets: Bucket[] = [];
  readonly version = new Signal(0);
  readonly banChanges = new Signal<BanEvent[]>([]);
  private batch: LiveEvent[] = [];
  private banBatch: BanEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  push(e: LiveEvent): void {
    this.batch.push(e);
    this.total++;
    this.count(e);
    if (e.kind === "decision") {
      this.setSource(e.data.address.text, { decision: e.data });
      this.decisions.unshift({ d: e.data, received: e.received });
      if (this.decisions.length > MAX_DECISIONS) this.decisions.pop();
    } else if (e.kind === "ban") {
      this.setSource(e.data.address.text, { ban: e.data });
      this.banBatch.push(e.data);
      const d = this.decisions.find((x) => x.d.address.text === e.data.address.text && x.appliedAt === undefined);
      if (d) {
        d.appliedAt = e.received;
        d.change = e.data.change;
      }
    }
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private setSource(src: string, patch: SourceState): void {
    const prev = this.sources.get(src);
    // A new object per change: rows about this source re-render, the others keep their memo.
    this.sources.delete(src);
    this.sources.set(src, { ...prev, ...patch });
    trim(this.sources, MAX_SOURCES);
  }

  private count(e: LiveEvent): void {
    const t = Math.floor(e.received / BUCKET_MS) * BUCKET_MS;
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.t !== t) {
      b = { t, hits: 0, decisions: 0, added: 0, removed: 0 };
      this.buckets.push(b);
      if (this.buckets.length > MAX_BUCKETS) this.buckets.shift();
    }
    if (e.kind === "hit") b.hits++;
    else if (e.kind === "decision") b.decisions++;
    else if (e.data.change === "added") b.added++;
    else if (e.data.change === "removed" || e.data.change === "expired") b.removed++;
  }

  /**
   * Events from before the page opened, placed after what the stream already delivered (newest
   * first) and not counted in the live buckets. A source's state comes from its newest event.
   */
  backfill(list: LiveEvent[]): void {
    this.flush();
    // The stream may already have delivered some of them (a hit that arrived while loading).
    const seen = new Set(this.events.map((e) => (e.kind === "hit" ? e.data.session_id : "")));
    list = list.filter((e) => (e.kind === "hit" ? !seen.has(e.data.session_id) : !this.sources.get(e.data.address.text)?.ban));
    if (!list.length) return;
    for (const e of [...list].reverse()) {
      if (e.kind === "ban") this.setSource(e.data.address.text, { ban: e.data });
    }
    this.events = this.events.concat(list).slice(0, MAX_EVENTS);
    this.total += list.length;
    this.backfilled = list.length;
    markUpdate();
    this.version.set(this.version.value + 1);
  }

  addSessions(list: Session[]): void {
    if (!list.length) return;
    for (const s of list) this.sessions.set(s.session_id, s);
    trim(this.sessions, MAX_SESSIONS);
    markUpdate();
    this.version.set(this.version.value + 1);
  }

  flush(): void {
    this.timer = undefined;
    if (!this.batch.length) return;
    const fresh = this.batch.reverse();
    this.batch = [];
    this.events = fresh.length >= MAX_EVENTS ? fresh.slice(0, MAX_EVENTS) : fresh.concat(this.events.slice(0, MAX_EVENTS - fresh.length));
    markUpdate();
    if (this.banBatch.length) {
      const bans = this.banBatch;
      this.banBatch = [];
      this.banChanges.set(bans);
    }
    this.version.set(this.version.value + 1);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.batch = [];
    this.events = [];
    this.sources.clear();
    this.sessions.clear();
    this.decisions.length = 0;
    this.buckets.length = 0;
    this.total = 0;
    this.backfilled = 0;
  }
}
