import { and, eq, gt, inArray, lte, ne, sql } from "drizzle-orm";
import type { Store } from "@honeymesh/db/open";
import { allowlist, bans, offences, tombstones } from "@honeymesh/tables/enforcerd";

export type StoreSchema = { bans: typeof bans; tombstones: typeof tombstones; offences: typeof offences; allowlist: typeof allowlist };
export type BanRow = typeof bans.$inferSelect;
export type BanChangeKind = "added" | "extended" | "unchanged";

export interface BanWrite {
  value: string;
  target: "ip" | "cidr";
  reasons: number;
  /** Unix ms; 0 = permanent. */
  expiresAt: number;
  origin: string;
  source: string;
  evidence: string[];
  at: number;
}

/** Later expiry wins; 0 (permanent) beats any time. */
function laterExpiry(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : Math.max(a, b);
}

/**
 * The ban store, source of truth for ban state (DESIGN §3): every change is committed here
 * before the kernel maps are touched, so a crash in between is repaired by reconcile at start.
 */
export class BanStore {
  constructor(private readonly store: Store<StoreSchema>) {}

  private get db() {
    return this.store.db;
  }

  tombstoneAt(value: string): number | undefined {
    return this.db.select({ at: tombstones.at }).from(tombstones).where(eq(tombstones.value, value)).get()?.at;
  }

  /** Adds or merges a ban: reasons stack with OR, the later expiry wins, offences count new bans. */
  /** Runs `fn` in one transaction; apply/remove inside it become savepoints. */
  batch(fn: () => void): void {
    this.store.sqlite.transaction(fn)();
  }

  apply(w: BanWrite, now = Date.now()): { change: BanChangeKind; row: BanRow } {
    // bun:sqlite transactions nest (SAVEPOINT) inside batch(); drizzle's would not.
    return this.store.sqlite.transaction(() => {
      const tx = this.db;
      const existing = tx.select().from(bans).where(eq(bans.value, w.value)).get();
      if (existing && (existing.expiresAt === 0 || existing.expiresAt > now)) {
        const reasons = existing.reasons | w.reasons;
        const expiresAt = laterExpiry(existing.expiresAt, w.expiresAt);
        if (reasons === existing.reasons && expiresAt === existing.expiresAt) return { change: "unchanged" as const, row: existing };
        const evidence = [...w.evidence, ...existing.evidence].slice(0, 16);
        const row = { ...existing, reasons, expiresAt, evidence, updatedAt: now };
        tx.update(bans).set({ reasons, expiresAt, evidence, updatedAt: now }).where(eq(bans.value, w.value)).run();
        return { change: "extended" as const, row };
      }
      const prior = tx.select().from(offences).where(eq(offences.value, w.value)).get();
      const offence = (prior?.count ?? 0) + 1;
      tx.insert(offences).values({ value: w.value, count: offence, lastAt: now }).onConflictDoUpdate({ target: offences.value, set: { count: offence, lastAt: now } }).run();
      const row: BanRow = { value: w.value, target: w.target, reasons: w.reasons, expiresAt: w.expiresAt, createdAt: now, updatedAt: now, origin: w.origin, source: w.source, offence, evidence: w.evidence.slice(0, 16) };
      tx.insert(bans).values(row).onConflictDoUpdate({ target: bans.value, set: row }).run();
      return { change: "added" as const, row };
    })();
  }

  /** Removes a ban and leaves a tombstone at `at`, so a ban decided earlier cannot come back. */
  remove(value: string, at: number, origin: string): BanRow | undefined {
    return this.store.sqlite.transaction(() => {
      const tx = this.db;
      const existing = tx.select().from(bans).where(eq(bans.value, value)).get();
      tx.delete(bans).where(eq(bans.value, value)).run();
      tx.insert(tombstones).values({ value, at, origin }).onConflictDoUpdate({ target: tombstones.value, set: { at: sql`max(${tombstones.at}, ${at})`, origin } }).run();
      return existing;
    })();
  }

  expired(now: number, limit = 10_000): BanRow[] {
    return this.db.select().from(bans).where(and(ne(bans.expiresAt, 0), lte(bans.expiresAt, now))).limit(limit).all();
  }

  deleteMany(values: string[]): void {
    for (let i = 0; i < values.length; i += 500) this.db.delete(bans).where(inArray(bans.value, values.slice(i, i + 500))).run();
  }

  /** Every ban still live at `now`, for reconcile. */
  active(now = Date.now()): BanRow[] {
    return this.db.select().from(bans).where(sql`${bans.expiresAt} = 0 OR ${bans.expiresAt} > ${now}`).all();
  }

  /** Just what the kernel needs of every live ban: lean on purpose, reconcile reads a million. */
  activeEntries(now = Date.now()): { value: string; reasons: number; expiresAt: number }[] {
    return this.db
      .select({ value: bans.value, reasons: bans.reasons, expiresAt: bans.expiresAt })
      .from(bans)
      .where(sql`${bans.expiresAt} = 0 OR ${bans.expiresAt} > ${now}`)
      .all();
  }

  get(value: string): BanRow | undefined {
    return this.db.select().from(bans).where(eq(bans.value, value)).get();
  }

  count(now = Date.now()): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(bans).where(sql`${bans.expiresAt} = 0 OR ${bans.expiresAt} > ${now}`).get()?.n ?? 0;
  }

  offenceCount(value: string): number {
    return this.db.select({ count: offences.count }).from(offences).where(eq(offences.value, value)).get()?.count ?? 0;
  }

  /** Bulk insert in one transaction (restores, imports, tests). */
  putMany(rows: BanRow[]): void {
    this.db.transaction((tx) => {
      for (let i = 0; i < rows.length; i += 1000) {
        tx.insert(bans).values(rows.slice(i, i + 1000)).onConflictDoNothing().run();
      }
    });
  }

  allowPut(cidr: string, note: string, at: number): void {
    this.db.insert(allowlist).values({ cidr, note, createdAt: at }).onConflictDoUpdate({ target: allowlist.cidr, set: { note } }).run();
  }

  allowDelete(cidr: string): boolean {
    return this.db.delete(allowlist).where(eq(allowlist.cidr, cidr)).returning({ cidr: allowlist.cidr }).all().length > 0;
  }

  allowEntries(): string[] {
    return this.db.select({ cidr: allowlist.cidr }).from(allowlist).all().map((r) => r.cidr);
  }

  tombstonesSince(since: number): { value: string; at: number }[] {
    return this.db.select({ value: tombstones.value, at: tombstones.at }).from(tombstones).where(gt(tombstones.at, since)).all();
  }
}
