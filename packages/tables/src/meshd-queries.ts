import type { Database } from "bun:sqlite";
import { getTableName } from "drizzle-orm";
import { peers } from "./meshd.ts";

/**
 * meshd's peers as other services read them (apid: `/v1/peers`, `/v1/stats`). The columns are
 * named here, beside the table; read-only: meshd is the only writer.
 */
const T = getTableName(peers);
const p = peers;

export interface PeerRow {
  peer_id: string;
  cluster: string;
  node_id: string | null;
  trust: string;
  address: string | null;
  connected: boolean;
  first_seen: number;
  last_seen: number;
  msgs_in: number;
  msgs_out: number;
  rejected: number;
  rate_limited: number;
  penalties: number;
  score: number;
  last_reject: string | null;
}

const COLUMNS = (
  [
    [p.peerId, "peer_id"], [p.cluster, "cluster"], [p.nodeId, "node_id"], [p.trust, "trust"], [p.address, "address"], [p.connected, "connected"],
    [p.firstSeen, "first_seen"], [p.lastSeen, "last_seen"], [p.msgsIn, "msgs_in"], [p.msgsOut, "msgs_out"], [p.rejected, "rejected"],
    [p.rateLimited, "rate_limited"], [p.penalties, "penalties"], [p.score, "score"], [p.lastReject, "last_reject"],
  ] as const
).map(([c, as]) => `"${c.name}" AS ${as}`).join(", ");

/** Every peer (at most `limit`), most recently seen first. */
export function peerList(db: Database, limit: number): PeerRow[] {
  const rows = db.query(`SELECT ${COLUMNS} FROM "${T}" ORDER BY "${p.lastSeen.name}" DESC LIMIT ?`).all(limit) as (Omit<PeerRow, "connected"> & { connected: number })[];
  // SQLite keeps booleans as 0/1.
  return rows.map((r) => ({ ...r, connected: r.connected !== 0 }));
}

export function peerCount(db: Database): number {
  return (db.query(`SELECT count(*) AS n FROM "${T}"`).get() as { n: number }).n;
}
