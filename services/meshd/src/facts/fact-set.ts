import { createHash } from "node:crypto";
import { factExpiry, type Fact } from "./fact.ts";
import { rangeOf } from "./ranges.ts";

export interface Entry {
  fact: Fact;
  wire: string;
  /** Unix ms after which the entry is dropped. */
  keepUntil: number;
}

export type Ingest = "new" | "stale" | "superseded" | "expired" | "full";

/** Where the set's changes go (SQLite); kept abstract so the set is testable on its own. */
export interface FactSink {
  put(key: string, e: Entry): void;
  drop(keys: string[]): void;
}

const banKey = (f: Fact) => `b|${f.p}|${f.address.text}`;
const tombKey = (f: Pick<Fact, "p" | "address">) => `u|${f.p}|${f.address.text}`;

/**
 * The live decision set of one cluster: per origin and target the newest ban and the newest
 * unban tombstone. A ban decided at or before its own origin's tombstone is dead (DESIGN §3),
 * which makes the set converge whatever order facts arrive in. An origin's unban never touches
 * another origin's ban: a peer holding the cluster key cannot lift what others decided. Every receiver caps a ban's TTL at
 * `ttlCapMs`, so a ban lives at most that long here and tombstones need keeping no longer.
 * Bounded: `max` entries, a tenth of them per origin.
 */
export class FactSet {
  private readonly entries = new Map<string, Entry>();
  private readonly byValue = new Map<string, Set<string>>();
  private readonly perOrigin = new Map<string, number>();
  private digestCache: string | undefined;

  constructor(
    private readonly ttlCapMs: number,
    private readonly max: number,
    private readonly sink?: FactSink,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  private keepUntil(f: Fact): number {
    if (f.k === "unban") return f.at + this.ttlCapMs + 3_600_000;
    return Math.min(factExpiry(f), f.at + this.ttlCapMs);
  }

  ingest(fact: Fact, wire: string, now = Date.now(), persist = true): Ingest {
    const keepUntil = this.keepUntil(fact);
    if (keepUntil <= now) return "expired";
    const tomb = this.entries.get(tombKey(fact));
    if (fact.k === "ban") {
      if (tomb && tomb.fact.at >= fact.at) return "superseded";
      const key = banKey(fact);
      const old = this.entries.get(key);
      if (old && old.fact.at >= fact.at) return "stale";
      if (!old && !this.room(fact.p)) return "full";
      this.put(key, { fact, wire, keepUntil }, persist);
      return "new";
    }
    if (tomb && tomb.fact.at >= fact.at) return "stale";
    if (!tomb && !this.room(fact.p)) return "full";
    const dead = this.entries.get(banKey(fact));
    if (dead && dead.fact.at <= fact.at) this.remove([banKey(fact)], persist);
    this.put(tombKey(fact), { fact, wire, keepUntil }, persist);
    return "new";
  }

  private room(origin: string): boolean {
    return this.entries.size < this.max && (this.perOrigin.get(origin) ?? 0) < Math.max(1, Math.floor(this.max / 10));
  }

  private put(key: string, e: Entry, persist: boolean): void {
    const old = this.entries.get(key);
    if (old) this.perOrigin.set(old.fact.p, (this.perOrigin.get(old.fact.p) ?? 1) - 1);
    this.entries.set(key, e);
    this.perOrigin.set(e.fact.p, (this.perOrigin.get(e.fact.p) ?? 0) + 1);
    let keys = this.byValue.get(e.fact.address.text);
    if (!keys) this.byValue.set(e.fact.address.text, (keys = new Set()));
    keys.add(key);
    this.digestCache = undefined;
    if (persist) this.sink?.put(key, e);
  }

  private remove(keys: string[], persist: boolean): void {
    if (keys.length === 0) return;
    for (const key of keys) {
      const e = this.entries.get(key);
      if (!e) continue;
      this.entries.delete(key);
      const n = (this.perOrigin.get(e.fact.p) ?? 1) - 1;
      if (n <= 0) this.perOrigin.delete(e.fact.p);
      else this.perOrigin.set(e.fact.p, n);
      const set = this.byValue.get(e.fact.address.text);
      set?.delete(key);
      if (set && set.size === 0) this.byValue.delete(e.fact.address.text);
    }
    this.digestCache = undefined;
    if (persist) this.sink?.drop(keys);
  }

  /**
   * Distinct origins (those `counts` accepts) holding a live ban (or, for `kind` "unban", a
   * tombstone) on `address`: the corroboration count.
   */
  agreeing(address: string, counts: (originPeer: string) => boolean = () => true, now = Date.now(), kind: Fact["k"] = "ban"): number {
    let n = 0;
    for (const k of this.byValue.get(address) ?? []) {
      const e = this.entries.get(k)!;
      if (e.fact.k === kind && e.keepUntil > now && counts(e.fact.p)) n++;
    }
    return n;
  }

  /** An origin's newest tombstone on `address`. */
  tombstone(originPeer: string, address: string): Fact | undefined {
    return this.entries.get(tombKey({ p: originPeer, address: { kind: "ip", text: address } }))?.fact;
  }

  /** Drops what has run out; returns how many. */
  prune(now = Date.now()): number {
    const dead: string[] = [];
    for (const [k, e] of this.entries) if (e.keepUntil <= now) dead.push(k);
    this.remove(dead, true);
    return dead.length;
  }

  live(now = Date.now()): Entry[] {
    return [...this.entries.values()].filter((e) => e.keepUntil > now);
  }

  /** Keys and decision times of the live entries: what hashed-range digests are made of. */
  *keyed(now = Date.now()): Generator<[string, number]> {
    for (const [k, e] of this.entries) if (e.keepUntil > now) yield [k, e.fact.at];
  }

  /** Live entries whose key falls in one of `ranges`. */
  liveIn(ranges: ReadonlySet<number>, now = Date.now()): Entry[] {
    const out: Entry[] = [];
    for (const [k, e] of this.entries) if (e.keepUntil > now && ranges.has(rangeOf(k))) out.push(e);
    return out;
  }

  counts(): { bans: number; tombstones: number } {
    let bans = 0;
    for (const k of this.entries.keys()) if (k.startsWith("b|")) bans++;
    return { bans, tombstones: this.entries.size - bans };
  }

  /** A hash of the set's identity (keys and times): equal digests mean nothing to exchange. */
  digest(): string {
    if (this.digestCache) return this.digestCache;
    const h = createHash("sha256");
    for (const k of [...this.entries.keys()].sort()) h.update(`${k}@${this.entries.get(k)!.fact.at}\n`);
    return (this.digestCache = h.digest("hex").slice(0, 32));
  }
}
