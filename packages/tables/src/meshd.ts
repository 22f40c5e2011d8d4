import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Mesh peers as this node sees them; apid reads this file (read-only) for `/v1/peers`. */
export const peers = sqliteTable("peers", {
  peerId: text("peer_id").primaryKey(),
  cluster: text("cluster").notNull(),
  /** HoneyMesh node id the peer signed its facts with (first one seen; a change is refused). */
  nodeId: text("node_id"),
  trust: text("trust").notNull(),
  address: text("address"),
  connected: integer("connected", { mode: "boolean" }).notNull(),
  firstSeen: integer("first_seen").notNull(),
  lastSeen: integer("last_seen").notNull(),
  msgsIn: integer("msgs_in").notNull(),
  msgsOut: integer("msgs_out").notNull(),
  rejected: integer("rejected").notNull(),
  rateLimited: integer("rate_limited").notNull(),
  penalties: integer("penalties").notNull(),
  /** gossipsub peer score (negative = misbehaving), sampled at each flush. */
  score: real("score").notNull(),
  lastReject: text("last_reject"),
});

/** The live decision set (bans and unban tombstones) as signed envelopes, for anti-entropy. */
export const facts = sqliteTable(
  "facts",
  {
    key: text("key").primaryKey(),
    cluster: text("cluster").notNull(),
    value: text("value").notNull(),
    kind: text("kind", { enum: ["ban", "unban"] }).notNull(),
    originPeer: text("origin_peer").notNull(),
    at: integer("at").notNull(),
    /** Unix ms after which the fact is dropped (ban end, or tombstone retention). */
    keepUntil: integer("keep_until").notNull(),
    wire: text("wire").notNull(),
  },
  (t) => [index("facts_cluster").on(t.cluster), index("facts_keep_until").on(t.keepUntil)],
);
