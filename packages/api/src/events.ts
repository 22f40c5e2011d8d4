import { Type, type Static } from "@sinclair/typebox";
import { TrapSession } from "@honeymesh/schema/trap";
import { Enrichment } from "./enrich.ts";
import { Page } from "./problem.ts";

/**
 * A stored trap session (`GET /v1/events`, event exports, explain): trapd's TrapSession with its
 * store sequence number. The fields come in trapd's column order (CSV exports use it as header).
 * `country`, `asn`, `org` describe its source (apid's offline databases; not in exports).
 */
export const StoredSession = Type.Composite([Type.Object({ seq: Type.Integer({ minimum: 1, description: "trapd's store sequence (newest highest)" }) }), TrapSession, Enrichment]);
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

/** An indicator seen in the trap sessions (`GET /v1/indicators`). */
export const Indicator = Type.Object({
  type: Type.Union([Type.Literal("url"), Type.Literal("host"), Type.Literal("ssh-key"), Type.Literal("file")]),
  value: Type.String({ description: "the URL, host, SSH key fingerprint (SHA256:…) or file SHA-256" }),
  first_seen: Type.Integer({ description: "unix ms" }),
  last_seen: Type.Integer({ description: "unix ms" }),
  sessions: Type.Integer({ minimum: 1 }),
  sources: Type.Array(Type.String(), { maxItems: 16, description: "addresses that used it (up to 16)" }),
});
export type Indicator = Static<typeof Indicator>;

export const IndicatorList = Type.Object({ items: Type.Array(Indicator) });
export type IndicatorList = Static<typeof IndicatorList>;

/** A STIX 2.1 bundle of indicator objects (OASIS STIX 2.1 §8.1 bundle, §4.7 indicator). */
export const StixBundle = Type.Object({
  type: Type.Literal("bundle"),
  id: Type.String({ pattern: "^bundle--[0-9a-f-]{36}$" }),
  objects: Type.Array(
    Type.Object({
      type: Type.Literal("indicator"),
      spec_version: Type.Literal("2.1"),
      id: Type.String({ pattern: "^indicator--[0-9a-f-]{36}$" }),
      created: Type.String(),
      modified: Type.String(),
      name: Type.String(),
      indicator_types: Type.Array(Type.String()),
      pattern: Type.String(),
      pattern_type: Type.Literal("stix"),
      valid_from: Type.String(),
    }),
  ),
});
export type StixBundle = Static<typeof StixBundle>;
