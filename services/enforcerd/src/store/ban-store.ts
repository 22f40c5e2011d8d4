import { and, eq, gt, inArray, lte, ne, sql } from "drizzle-orm";
import type { AddressKind } from "@honeymesh/ban/address";
import { mergeEvidence, type Evidence } from "@honeymesh/ban/evidence";
import { isLive, mergeBan } from "@honeymesh/ban/liveness";
import { gradedMerge, type Confidence } from "@honeymesh/ban/confidence";
import type { Store } from "@honeymesh/db/open";
import { allowlist, bans, offences, protectedSet, tombstones } from "@honeymesh/tables/enforcerd";

export type StoreSchema = { bans: typeof bans; tombstones: typeof tombstones; offences: typeof offences; allowlist: typeof allowlist; protectedSet: typeof protectedSet };
export type BanRow = typeof bans.$inferSelect;
export type BanChangeKind = "added" | "extended" | "unchanged";

export interface BanWrite {
  address: string;
  kind: AddressKind;
  reasons: number;
  /** Unix ms; 0 = permanent. */
  expiresAt: number;
  origin: string;
  source: string;
  evidence: Evidence[];
  at: number;
  confidence: Confidence;
  /**
   * Whether this ban counts as an offence (raises the address's count, which escalates later
   * TTLs). Unverified evidence does not (`[scan] syn_only = "ban"` aside): a spoofer must not be
   * able to make a victim a "repeat offender".
   */
  counts: boolean;
}

const live = (now: number) => sql`(${bans.expiresAt} = 0 OR ${bans.expiresAt} > ${now})`;

/**
 * The ban store, source of truth for ban state (DESIGN §3): every change is committed here
 * before the kernel maps are touched, so a crash in between is repaired by reconcile at start.
 */
export class BanStore {
  /**
   * The per-decision statements, prepared once: building drizzle's query per call was about
   * 70 % of enforcerd's CPU per decision (a storm of fast-path bans recorded at ~1 000/s).
   */
  private readonly q;

  constructor(private readonly store: Store<StoreSchema>) {
    const db = store.db;
    const p = <T extends string>(name: T) => sql.placeholder(name);
    this.q = {
      get: db.select().from(bans).where(eq(bans.address, p("address"))).prepare(),
      tombstoneAt: db.select({ at: tombstones.at }).from(tombstones).where(eq(tombstones.address, p("address"))).prepare(),
      offenceCount: db.select({ count: offences.count }).from(offences).where(eq(offences.address, p("address"))).prepare(),
      countOffence: db
        .insert(offences)
        .values({ address: p("address"), count: p("count"), lastAt: p("now") })
        .onConflictDoUpdate({ target: offences.address, set: { count: sql`excluded.count`, lastAt: sql`excluded.last_at` } })
        .prepare(),
      // Every column replaced on conflict (an expired row of the same address is overwritten whole).
      insertBan: db
        .insert(bans)
        .values({ address: p("address"), kind: p("kind"), reasons: p("reasons"), expiresAt: p("expiresAt"), createdAt: p("createdAt"), updatedAt: p("updatedAt"), origin: p("origin"), source: p("source"), offence: p("offence"), evidence: p("evidence"), confidence: p("confidence") })
        .onConflictDoUpdate({
          target: bans.address,
          set: { kind: sql`excluded.kind`, reasons: sql`excluded.reasons`, expiresAt: sql`excluded.expires_at`, createdAt: sql`excluded.created_at`, updatedAt: sql`excluded.updated_at`, origin: sql`excluded.origin`, source: sql`excluded.source`, offence: sql`excluded.offence`, evidence: sql`excluded.evidence`, confidence: sql`excluded.confidence` },
        })
        .prepare(),
      mergeBan: db
        .update(bans)
        // drizzle's update takes placeholders only inside sql``, without the column's JSON encoding: `evidence` arrives as JSON text.
        .set({ reasons: sql`${p("reasons")}`, expiresAt: sql`${p("expiresAt")}`, evidence: sql`${p("evidence")}`, updatedAt: sql`${p("updatedAt")}`, confidence: sql`${p("confidence")}`, offence: sql`${p("offence")}` })
        .where(eq(bans.address, p("address")))
        .prepare(),
    };
  }

  private get db() {
    return this.store.db;
  }

  tombstoneAt(address: string): number | undefined {
    return this.q.tombstoneAt.get({ address })?.at;
  }

  /** Runs `fn` in one transaction; apply/remove inside it become savepoints. */
  batch(fn: () => void): void {
    this.store.sqlite.transaction(fn)();
  }

  /**
   * Adds or merges a ban: reasons stack with OR, the later expiry wins, offences count new bans;
   * graded (gradedMerge): verified evidence upgrades an unverified ban (and then counts as the
   * offence it now is), unverified evidence leaves a verified ban as it is.
   */
  apply(w: BanWrite, now = Date.now()): { change: BanChangeKind; row: BanRow } {
    // bun:sqlite transactions nest (SAVEPOINT) inside batch(); drizzle's would not.
    return this.store.sqlite.transaction(() => {
      const existing = this.get(w.address);
      if (existing && isLive(existing.expiresAt, now)) {
        const g = gradedMerge(existing.confidence, w.confidence);
        if (!g.merge) return { change: "unchanged" as const, row: existing };
        const m = mergeBan(existing, w);
        const upgraded = g.confidence !== existing.confidence;
        if (!m.changed && !upgraded) return { change: "unchanged" as const, row: existing };
        const evidence = mergeEvidence(w.evidence, existing.evidence);
        // An unverified ban did not count as an offence; once verified evidence backs it, it does.
        const offence = upgraded && w.counts ? this.countOffence(w.address, now) : existing.offence;
        const set = { reasons: m.reasons, expiresAt: m.expiresAt, evidence, updatedAt: now, confidence: g.confidence, offence };
        this.q.mergeBan.run({ ...set, evidence: JSON.stringify(evidence), address: w.address });
        return { change: "extended" as const, row: { ...existing, ...set } };
      }
      const offence = w.counts ? this.countOffence(w.address, now) : this.offenceCount(w.address);
      const row: BanRow = { address: w.address, kind: w.kind, reasons: w.reasons, expiresAt: w.expiresAt, createdAt: now, updatedAt: now, origin: w.origin, source: w.source, offence, evidence: w.evidence.slice(0, 16), confidence: w.confidence };
      this.q.insertBan.run(row);
      return { change: "added" as const, row };
    })();
  }

  /** Raises the address's offence count by one; returns the new count. */
  private countOffence(address: string, now: number): number {
    const offence = this.offenceCount(address) + 1;
    this.q.countOffence.run({ address, count: offence, now });
    return offence;
  }

  /** Replaces the mirrored protected set (apid lists it with the allowlist). */
  protectedPut(entries: readonly { text: string; source: string }[], now: number): void {
    this.store.sqlite.transaction(() => {
      this.db.delete(protectedSet).run();
      for (let i = 0; i < entries.length; i += 500) {
        const rows = entries.slice(i, i + 500).map((e) => ({ address: e.text, source: e.source as "resolver", note: "", updatedAt: now }));
        if (rows.length) this.db.insert(protectedSet).values(rows).onConflictDoNothing().run();
      }
    })();
  }

  /** Lifts some reasons of a live ban and keeps it for the rest (no tombstone: it is still banned). */
  reduce(address: string, reasons: number, now = Date.now()): BanRow | undefined {
    const existing = this.get(address);
    if (!existing) return undefined;
    const row = { ...existing, reasons: existing.reasons & ~reasons, updatedAt: now };
    this.db.update(bans).set({ reasons: row.reasons, updatedAt: now }).where(eq(bans.address, address)).run();
    return row;
  }

  /** Removes a ban and leaves a tombstone at `at`, so a ban decided earlier cannot come back. */
  remove(address: string, at: number, origin: string): BanRow | undefined {
    return this.store.sqlite.transaction(() => {
      const tx = this.db;
      const existing = tx.select().from(bans).where(eq(bans.address, address)).get();
      tx.delete(bans).where(eq(bans.address, address)).run();
      tx.insert(tombstones).values({ address, at, origin }).onConflictDoUpdate({ target: tombstones.address, set: { at: sql`max(${tombstones.at}, ${at})`, origin } }).run();
      return existing;
    })();
  }

  expired(now: number, limit = 10_000): BanRow[] {
    return this.db.select().from(bans).where(and(ne(bans.expiresAt, 0), lte(bans.expiresAt, now))).limit(limit).all();
  }

  deleteMany(addresses: string[]): void {
    for (let i = 0; i < addresses.length; i += 500) this.db.delete(bans).where(inArray(bans.address, addresses.slice(i, i + 500))).run();
  }

  /** Every ban still live at `now`, for reconcile. */
  active(now = Date.now()): BanRow[] {
    return this.db.select().from(bans).where(live(now)).all();
  }

  /** Just what the kernel needs of every live ban: lean on purpose, reconcile reads a million. */
  activeEntries(now = Date.now()): { address: string; reasons: number; expiresAt: number }[] {
    return this.db.select({ address: bans.address, reasons: bans.reasons, expiresAt: bans.expiresAt }).from(bans).where(live(now)).all();
  }

  /** Live prefix bans (few next to exact ones): what may cover an address. */
  activePrefixes(now = Date.now()): BanRow[] {
    return this.db.select().from(bans).where(and(eq(bans.kind, "cidr"), live(now))).all();
  }

  get(address: string): BanRow | undefined {
    return this.q.get.get({ address });
  }

  count(now = Date.now()): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(bans).where(live(now)).get()?.n ?? 0;
  }

  offenceCount(address: string): number {
    return this.q.offenceCount.get({ address })?.count ?? 0;
  }

  /** Bulk insert in one transaction (restores, imports, tests). */
  putMany(rows: (typeof bans.$inferInsert)[]): void {
    this.db.transaction((tx) => {
      for (let i = 0; i < rows.length; i += 1000) {
        tx.insert(bans).values(rows.slice(i, i + 1000)).onConflictDoNothing().run();
      }
    });
  }

  allowPut(address: string, note: string, at: number): void {
    this.db.insert(allowlist).values({ address, note, createdAt: at }).onConflictDoUpdate({ target: allowlist.address, set: { note } }).run();
  }

  allowDelete(address: string): boolean {
    return this.db.delete(allowlist).where(eq(allowlist.address, address)).returning({ address: allowlist.address }).all().length > 0;
  }

  allowEntries(): string[] {
    return this.db.select({ address: allowlist.address }).from(allowlist).all().map((r) => r.address);
  }

  tombstonesSince(since: number): { address: string; at: number }[] {
    return this.db.select({ address: tombstones.address, at: tombstones.at }).from(tombstones).where(gt(tombstones.at, since)).all();
  }
}
