import type { Database } from "bun:sqlite";
import { getTableName } from "drizzle-orm";
import type { Credential, TrapSession } from "@honeymesh/schema/trap";
import { sessions, type SessionCapture } from "./trapd.ts";

/**
 * trapd's sessions as other services read them (apid: `/v1/events`, exports, explain, stats).
 * The columns are named here, next to the table they belong to, so a change to the table shows up
 * in its owner's package; nobody reads `SELECT *`. Read-only: trapd is the only writer.
 */
const T = getTableName(sessions);
const s = sessions;
const COLUMNS = [
  s.seq, s.sessionId, s.service, s.src, s.srcPort, s.dst, s.dstPort, s.startedAt, s.endedAt,
  s.bytesIn, s.bytesOut, s.credentials, s.commands, s.entropy, s.meta, s.endReason, s.payload, s.capture,
].map((c) => `"${c.name}"`).join(", ");

/** The optional fields an interactive session adds (after the others, in this order; CSV exports list them always). */
export const CAPTURE_FIELDS = ["command_at", "indicators", "persistence", "files", "transcript"] as const;

/** A stored session: the TrapSession trapd published, with its sequence number (newest highest). */
export type StoredSession = { seq: number } & TrapSession;

export interface SessionFilter {
  service?: string;
  src?: string;
  /** Unix ms, on the session's start: since inclusive, until exclusive. */
  since?: number;
  until?: number;
  /** Exclusive upper bound on `seq` (pages go newest first). */
  before?: number;
}

type Row = [number, string, string, string, number, string, number, number, number, number, number, string, string, number, string, string, Uint8Array | null, string | null];

function parsed<T>(text: string, empty: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return empty;
  }
}

/** The row in the API's field order (the CSV export header follows it). */
function session(r: Row): StoredSession {
  const p = r[16];
  return {
    seq: r[0],
    session_id: r[1],
    service: r[2] as TrapSession["service"],
    src: r[3],
    src_port: r[4],
    dst: r[5],
    dst_port: r[6],
    started_at: r[7],
    ended_at: r[8],
    bytes_in: r[9],
    bytes_out: r[10],
    credentials: parsed<Credential[]>(r[11], []),
    commands: parsed<string[]>(r[12], []),
    entropy: r[13],
    meta: parsed<Record<string, string>>(r[14], {}),
    end_reason: r[15],
    payload_b64: p ? Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString("base64") : "",
    ...(r[17] ? parsed<SessionCapture>(r[17], {}) : {}),
  };
}

/** One session by its id (`honeymesh events show <id>`). */
export function sessionById(db: Database, id: string): StoredSession | undefined {
  const r = db.query(`SELECT ${COLUMNS} FROM "${T}" WHERE "${s.sessionId.name}" = ?`).values(id) as unknown as Row[];
  return r[0] ? session(r[0]) : undefined;
}

/** Newest first; `limit` rows at most. */
export function sessionsPage(db: Database, f: SessionFilter, limit: number): StoredSession[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.service !== undefined) where.push(`"${s.service.name}" = ?`), args.push(f.service);
  if (f.src !== undefined) where.push(`"${s.src.name}" = ?`), args.push(f.src);
  if (f.since !== undefined) where.push(`"${s.startedAt.name}" >= ?`), args.push(f.since);
  if (f.until !== undefined) where.push(`"${s.startedAt.name}" < ?`), args.push(f.until);
  if (f.before !== undefined) where.push(`"${s.seq.name}" < ?`), args.push(f.before);
  const sql = `SELECT ${COLUMNS} FROM "${T}"${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY "${s.seq.name}" DESC LIMIT ?`;
  return (db.query(sql).values(...args, limit) as unknown as Row[]).map(session);
}

/** How many sessions are stored, in all and per trap (the 50 busiest). */
export function sessionCounts(db: Database): { total: number; byService: Record<string, number> } {
  const total = (db.query(`SELECT count(*) AS n FROM "${T}"`).get() as { n: number }).n;
  const byService: Record<string, number> = {};
  for (const r of db.query(`SELECT "${s.service.name}" AS k, count(*) AS n FROM "${T}" GROUP BY "${s.service.name}" ORDER BY n DESC LIMIT 50`).all() as { k: string; n: number }[]) byService[r.k] = r.n;
  return { total, byService };
}

/** One indicator over all stored sessions: a URL, host, key fingerprint or file hash, with where and when it was seen. */
export interface IndicatorRow {
  type: "url" | "host" | "ssh-key" | "file";
  value: string;
  first_seen: number;
  last_seen: number;
  sessions: number;
  /** Up to 16 sources that used it. */
  sources: string[];
}

/**
 * Indicators from the `limit` newest interactive sessions (those with a capture), aggregated by
 * type and value. Bounded by `limit` rows scanned and `maxOut` indicators returned.
 */
export function indicatorList(db: Database, limit: number, since = 0, maxOut = 5000): IndicatorRow[] {
  const rows = db.query(`SELECT "${s.src.name}", "${s.startedAt.name}", "${s.capture.name}" FROM "${T}" WHERE "${s.capture.name}" IS NOT NULL AND "${s.startedAt.name}" >= ? ORDER BY "${s.seq.name}" DESC LIMIT ?`).values(since, limit) as [string, number, string][];
  const out = new Map<string, IndicatorRow>();
  const note = (type: IndicatorRow["type"], value: string, src: string, at: number) => {
    const k = `${type}\0${value}`;
    const r = out.get(k);
    if (r) {
      r.first_seen = Math.min(r.first_seen, at);
      r.last_seen = Math.max(r.last_seen, at);
      r.sessions++;
      if (r.sources.length < 16 && !r.sources.includes(src)) r.sources.push(src);
    } else if (out.size < maxOut) out.set(k, { type, value, first_seen: at, last_seen: at, sessions: 1, sources: [src] });
  };
  for (const [src, at, text] of rows) {
    const c = parsed<SessionCapture>(text, {});
    for (const u of c.indicators?.urls ?? []) note("url", u, src, at);
    for (const h of c.indicators?.hosts ?? []) note("host", h, src, at);
    for (const p of c.persistence ?? []) if (p.key_fingerprint) note("ssh-key", p.key_fingerprint, src, at);
    for (const f of c.files ?? []) note("file", f.sha256, src, at);
  }
  return [...out.values()].sort((a, b) => b.last_seen - a.last_seen);
}
