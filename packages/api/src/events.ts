import { Type, type Static } from "@sinclair/typebox";
import { TrapSession } from "@honeymesh/schema/trap";
import { Page } from "./problem.ts";

/**
 * A stored trap session (`GET /v1/events`, event exports, explain): trapd's TrapSession with its
 * store sequence number. The fields come in trapd's column order (CSV exports use it as header).
 */
export const StoredSession = Type.Composite([Type.Object({ seq: Type.Integer({ minimum: 1, description: "trapd's store sequence (newest highest)" }) }), TrapSession]);
export type StoredSession = Static<typeof StoredSession>;

export const SessionPage = Page(StoredSession, "trap sessions, newest first");
export type SessionPage = Static<typeof SessionPage>;

/** A mesh peer as meshd stores it (`GET /v1/peers`). */
export const Peer = Type.Object({
  peer_id: Type.String(),
  cluster: Type.String(),
  node_id: Type.Union([Type.String(), Type.Null()], { description: "HoneyMesh node id the peer signs with" }),
  trust: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  connected: Type.Boolean(),
  first_seen: Type.Integer({ description: "unix ms" }),
  last_seen: Type.Integer({ description: "unix ms" }),
  msgs_in: Type.Integer(),
  msgs_out: Type.Integer(),
  rejected: Type.Integer(),
  rate_limited: Type.Integer(),
  penalties: Type.Integer(),
  score: Type.Number({ description: "gossipsub peer score (negative = misbehaving)" }),
  last_reject: Type.Union([Type.String(), Type.Null()]),
});
export type Peer = Static<typeof Peer>;

export const PeerList = Type.Object({ items: Type.Array(Peer) });
export type PeerList = Static<typeof PeerList>;
