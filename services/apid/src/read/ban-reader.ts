import type { Database } from "bun:sqlite";
import { getTableName } from "drizzle-orm";
import { allowlist, bans, protectedSet, tombstones } from "@honeymesh/tables/enforcerd";
import type { BanAddress } from "@honeymesh/ban/address";
import { inside } from "@honeymesh/ban/allowlist";
import type { Evidence } from "@honeymesh/ban/evidence";
import type { Confidence } from "@honeymesh/ban/confidence";
import type { ProtectedSource } from "@honeymesh/ban/allowlist";
import { reasonNames, type ReasonName } from "@honeymesh/ban/reasons";
import { formatIp, parseAddress, type ParsedAddress } from "@honeymesh/net/address";
import { csvLine } from "./export-stream.ts";
import type { OwnerDb } from "./owner-db.ts";

const B = getTableName(bans);
const c = {
  address: bans.address.name,
  kind: bans.kind.name,
  reasons: bans.reasons.name,
  expiresAt: bans.expiresAt.name,
  createdAt: bans.createdAt.name,
  updatedAt: bans.updatedAt.name,
  origin: bans.origin.name,
  source: bans.source.name,
  offence: bans.offence.name,
  evidence: bans.evidence.name,
  confidence: bans.confidence.name,
};
const COLUMNS = `rowid AS id, ${c.address} AS address, ${c.kind} AS kind, ${c.reasons} AS reasons, ${c.expiresAt} AS expires_at, ${c.createdAt} AS created_at, ${c.updatedAt} AS updated_at, ${c.origin} AS origin, ${c.source} AS source, ${c.offence} AS offence, ${c.evidence} AS evidence, ${c.confidence} AS confidence`;

interface RawBan {
  id: number;
  address: string;
  kind: "ip" | "cidr";
  reasons: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
  origin: string;
  source: string;
  offence: number;
  evidence: string;
  confidence: Confidence;
}

export interface BanView {
  address: BanAddress;
  reasons: ReasonName[];
  /** Unix ms; 0 = permanent. */
  expires_at: number;
  created_at: number;
  updated_at: number;
  origin: string;
  source: string;
  offence: number;
  evidence: Evidence[];
  /** verified: rests on a completed handshake or application data; unverified: spoofable evidence only. */
  confidence: Confidence;
}

export interface BanFilter {
  state: "active" | "expired" | "all";
  reasonMask?: number;
  origin?: string;
  source?: string;
  /** Bans that drop this address: its own ban and every prefix ban containing it. */
  contains?: ParsedAddress;
  /** Exclusive lower bound on the address text (keyset pagination). */
  after?: string;
  updatedSince?: number;
}

function parseEvidence(text: string): Evidence[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is Evidence => typeof x === "object" && x !== null && typeof (x as Evidence).summary === "string") : [];
  } catch {
    return [];
  }
}

const reasonCache = new Map<number, string>();
function reasonJson(mask: number): string {
  let j = reasonCache.get(mask);
  if (j === undefined) {
    j = JSON.stringify(reasonNames(mask));
    if (reasonCache.size < 1024) reasonCache.set(mask, j);
  }
  return j;
}

/** Stored evidence is JSON that enforcerd wrote; anything else (a damaged row) reads as []. */
function evidenceJson(text: string): string {
  return text.length >= 2 && text.charCodeAt(0) === 91 && text.charCodeAt(text.length - 1) === 93 ? text : "[]";
}

/** A row as `SELECT COLUMNS` gives it with `.values()`. */
export type BanValues = [id: number, address: string, kind: string, reasons: number, expiresAt: number, createdAt: number, updatedAt: number, origin: string, source: string, offence: number, evidence: string, confidence: string];

export const BAN_CSV_HEADER = "address,kind,reasons,expires_at,created_at,updated_at,origin,source,offence,evidence,confidence";

export function rowJson(r: BanValues): string {
  return `{"address":{"kind":"${r[2] === "cidr" ? "cidr" : "ip"}","text":${JSON.stringify(r[1])}},"reasons":${reasonJson(r[3])},"expires_at":${r[4]},"created_at":${r[5]},"updated_at":${r[6]},"origin":${JSON.stringify(r[7])},"source":${JSON.stringify(r[8])},"offence":${r[9]},"evidence":${evidenceJson(r[10])},"confidence":"${conf(r[11])}"}`;
}

/** CSV has no arrays: reason names joined with "|", evidence as its JSON text. */
export function rowCsv(r: BanValues): string {
  return csvLine([r[1], r[2], reasonNames(r[3]).join("|"), r[4], r[5], r[6], r[7], r[8], r[9], evidenceJson(r[10]), conf(r[11])]);
}

/** The stored confidence, or "verified" for a damaged value (the migration's default). */
function conf(v: string): Confidence {
  return v === "unverified" ? "unverified" : "verified";
}

export function view(r: RawBan): BanView {
  return {
    address: { kind: r.kind, text: r.address },
    reasons: reasonNames(r.reasons),
    expires_at: r.expires_at,
    created_at: r.created_at,
    updated_at: r.updated_at,
    origin: r.origin,
    source: r.source,
    offence: r.offence,
    evidence: parseEvidence(r.evidence),
    confidence: conf(r.confidence),
  };
}

/** Reads enforcerd's ban store (read-only; enforcerd is the only writer, DESIGN §3). */
export class BanReader {
  private readonly cache = new Map<string, ReturnType<Database["query"]>>();

  constructor(readonly db: OwnerDb) {}

  private prepared(db: Database, sql: string) {
    let q = this.cache.get(sql);
    if (!q) {
      if (this.cache.size > 64) this.cache.clear();
      q = db.query(sql);
      this.cache.set(sql, q);
    }
    return q;
  }

  /** A page in value order; `limit` rows at most. */
  private pageSql(f: BanFilter, now: number): { sql: string; args: (string | number)[] } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    // Unary + keeps SQLite off the expires_at index: walking the primary key in value order and
    // stopping at LIMIT beats collecting every live ban and sorting them (a page of 100 from 1 M).
    if (f.state === "active") where.push(`(+${c.expiresAt} = 0 OR +${c.expiresAt} > ?)`), args.push(now);
    if (f.state === "expired") where.push(`(+${c.expiresAt} != 0 AND +${c.expiresAt} <= ?)`), args.push(now);
    if (f.reasonMask !== undefined) where.push(`(${c.reasons} & ?) != 0`), args.push(f.reasonMask);
    if (f.origin !== undefined) where.push(`${c.origin} = ?`), args.push(f.origin);
    if (f.source !== undefined) where.push(`${c.source} = ?`), args.push(f.source);
    if (f.contains !== undefined) {
      const owners = this.containing(f.contains, now);
      where.push(`${c.address} IN (${owners.map(() => "?").join(",") || "NULL"})`), args.push(...owners);
    }
    if (f.after !== undefined) where.push(`${c.address} > ?`), args.push(f.after);
    if (f.updatedSince !== undefined) where.push(`${c.updatedAt} > ?`), args.push(f.updatedSince);
    return { sql: `SELECT ${COLUMNS} FROM ${B}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY ${c.address} LIMIT ?`, args };
  }

  /** A page in value order; `limit` rows at most. */
  page(f: BanFilter, limit: number, now = Date.now()): (BanView & { id: number })[] {
    const { sql, args } = this.pageSql(f, now);
    return this.db.read((db) => (this.prepared(db, sql).all(...args, limit) as RawBan[]).map((r) => ({ ...view(r), id: r.id })), []);
  }

  /**
   * The same page as `page`, already as JSON text: rows come as arrays (no per-row objects) and
   * the stored evidence (JSON written by enforcerd) is spliced in as it is. The list route's hot
   * path.
   */
  pageJson(f: BanFilter, limit: number, now = Date.now()): { json: string[]; addresses: string[] } {
    const rows = this.pageValues(f, limit, now);
    return { json: rows.map(rowJson), addresses: rows.map((r) => r[1]) };
  }

  /** A page as column arrays (COLUMNS order): the cheapest form, for the list and exports. */
  pageValues(f: BanFilter, limit: number, now = Date.now()): BanValues[] {
    const { sql, args } = this.pageSql(f, now);
    return this.db.read((db) => this.prepared(db, sql).values(...args, limit) as BanValues[], []);
  }

  get(address: string): BanView | undefined {
    return this.db.read((db) => {
      const r = this.prepared(db, `SELECT ${COLUMNS} FROM ${B} WHERE ${c.address} = ?`).get(address) as RawBan | null;
      return r ? view(r) : undefined;
    }, undefined);
  }

  /** Addresses of the live bans that drop `a`: its own, and every prefix ban containing it. */
  containing(a: ParsedAddress, now = Date.now()): string[] {
    return this.db.read((db) => {
      const rows = this.prepared(db, `SELECT ${c.address} AS address, ${c.kind} AS kind FROM ${B} WHERE (${c.kind} = 'cidr' OR ${c.address} = ?) AND (${c.expiresAt} = 0 OR ${c.expiresAt} > ?)`).all(a.exact ? formatOwn(a) : "", now) as { address: string; kind: string }[];
      return rows.filter((r) => {
        if (r.kind === "ip") return true;
        const p = parseAddress(r.address);
        return p.ok && inside(a, p.value);
      }).map((r) => r.address);
    }, []);
  }

  count(now = Date.now()): number {
    return this.db.read((db) => (this.prepared(db, `SELECT count(*) AS n FROM ${B} WHERE ${c.expiresAt} = 0 OR ${c.expiresAt} > ?`).get(now) as { n: number }).n, 0);
  }

  /** Active bans per reason bit, per origin (top 20) and per source. */
  breakdown(now = Date.now()): { byReason: Record<string, number>; byOrigin: Record<string, number>; bySource: Record<string, number>; permanent: number } {
    const empty = { byReason: {}, byOrigin: {}, bySource: {}, permanent: 0 };
    return this.db.read((db) => {
      const live = `(${c.expiresAt} = 0 OR ${c.expiresAt} > ?)`;
      const byReason: Record<string, number> = {};
      for (const r of this.prepared(db, `SELECT ${c.reasons} AS reasons, count(*) AS n FROM ${B} WHERE ${live} GROUP BY ${c.reasons}`).all(now) as { reasons: number; n: number }[])
        for (const name of reasonNames(r.reasons)) byReason[name] = (byReason[name] ?? 0) + r.n;
      const group = (col: string, max: number) =>
        Object.fromEntries((this.prepared(db, `SELECT ${col} AS k, count(*) AS n FROM ${B} WHERE ${live} GROUP BY ${col} ORDER BY n DESC LIMIT ${max}`).all(now) as { k: string; n: number }[]).map((r) => [r.k, r.n]));
      const permanent = (this.prepared(db, `SELECT count(*) AS n FROM ${B} WHERE ${c.expiresAt} = 0`).get() as { n: number }).n;
      return { byReason, byOrigin: group(c.origin, 20), bySource: group(c.source, 20), permanent };
    }, empty);
  }

  tombstonesSince(since: number, limit: number): { id: number; address: string; at: number }[] {
    const T = getTableName(tombstones);
    return this.db.read((db) => this.prepared(db, `SELECT rowid AS id, ${tombstones.address.name} AS address, ${tombstones.at.name} AS at FROM ${T} WHERE ${tombstones.at.name} > ? ORDER BY ${tombstones.at.name} LIMIT ?`).all(since, limit) as { id: number; address: string; at: number }[], []);
  }

  tombstoneCount(): number {
    return this.db.read((db) => (this.prepared(db, `SELECT count(*) AS n FROM ${getTableName(tombstones)}`).get() as { n: number }).n, 0);
  }

  tombstone(address: string): { at: number; origin: string } | undefined {
    const T = getTableName(tombstones);
    return this.db.read((db) => (this.prepared(db, `SELECT ${tombstones.at.name} AS at, ${tombstones.origin.name} AS origin FROM ${T} WHERE ${tombstones.address.name} = ?`).get(address) as { at: number; origin: string } | null) ?? undefined, undefined);
  }

  /** The node's protected set as enforcerd last mirrored it (resolvers, NTP servers, mesh peers, live sessions). */
  protectedEntries(): { address: string; source: ProtectedSource; created_at: number }[] {
    const P = getTableName(protectedSet);
    return this.db.read((db) => this.prepared(db, `SELECT ${protectedSet.address.name} AS address, ${protectedSet.source.name} AS source, ${protectedSet.updatedAt.name} AS created_at FROM ${P} ORDER BY ${protectedSet.address.name}`).all() as { address: string; source: ProtectedSource; created_at: number }[], []);
  }

  allowEntries(): { address: string; note: string; created_at: number }[] {
    const A = getTableName(allowlist);
    return this.db.read((db) => this.prepared(db, `SELECT ${allowlist.address.name} AS address, ${allowlist.note.name} AS note, ${allowlist.createdAt.name} AS created_at FROM ${A} ORDER BY ${allowlist.address.name}`).all() as { address: string; note: string; created_at: number }[], []);
  }
}

function formatOwn(a: ParsedAddress): string {
  return formatIp(a.family, a.bytes);
}
