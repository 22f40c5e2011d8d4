import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { BanAddress } from "@honeymesh/ban/address";
import { EVIDENCE_KINDS } from "@honeymesh/ban/evidence";

/**
 * One mesh fact: a ban or an unban tombstone, decided on its origin node. Only sanitized facts
 * travel (DESIGN §5): the address, reasons, TTL, origin, time and structured evidence whose
 * fields are kinds, labels, counters and port lists — never payloads, credentials, hostnames or
 * other addresses. The people-readable summary is rebuilt on the receiver from these fields.
 */
export const MeshEvidence = Type.Object(
  {
    kind: Type.Union(EVIDENCE_KINDS.map((k) => Type.Literal(k))),
    ports: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 65535 }), { maxItems: 16 })),
    trap: Type.Optional(Type.String({ pattern: "^[a-z0-9_]{1,16}$" })),
    jail: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9_.-]{1,32}$" })),
    count: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    window_s: Type.Optional(Type.Number({ minimum: 0, maximum: 315_360_000 })),
  },
  { additionalProperties: false },
);
export type MeshEvidence = Static<typeof MeshEvidence>;

export const Fact = Type.Object(
  {
    v: Type.Literal(2),
    /** Cluster name: a fact is valid in exactly one cluster. */
    c: Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" }),
    k: Type.Union([Type.Literal("ban"), Type.Literal("unban")]),
    address: BanAddress,
    /** Reason bits (DESIGN §3); 0 for an unban. */
    r: Type.Integer({ minimum: 0, maximum: 127 }),
    /** Seconds from `at`; 0 = permanent at the origin (receivers cap it). */
    ttl: Type.Integer({ minimum: 0, maximum: 315_360_000 }),
    /** Origin HoneyMesh node id and its libp2p peer id (whose key signs `f`). */
    o: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" }),
    p: Type.String({ minLength: 32, maxLength: 64, pattern: "^[1-9A-HJ-NP-Za-km-z]+$" }),
    /** Unix ms when the origin decided it; tombstones compare against it. */
    at: Type.Integer({ minimum: 0 }),
    off: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    ev: Type.Array(MeshEvidence, { maxItems: 8 }),
    /** W3C traceparent of the origin's span, so the ban's trace continues on every node. */
    tp: Type.Optional(Type.String({ maxLength: 64, pattern: "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$" })),
  },
  { additionalProperties: false },
);
export type Fact = Static<typeof Fact>;

/** The signed wire form: `f` is the fact's exact JSON text, `s` the origin's signature over it. */
export const Envelope = Type.Object({ f: Type.String({ maxLength: 8192 }), s: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
export type Envelope = Static<typeof Envelope>;

export function isFact(x: unknown): x is Fact {
  return Value.Check(Fact, x);
}

export function isEnvelope(x: unknown): x is Envelope {
  return Value.Check(Envelope, x);
}

/** Unix ms at which a ban fact ends; Infinity for a permanent one (receivers cap it). */
export function factExpiry(f: Fact): number {
  return f.ttl === 0 ? Number.POSITIVE_INFINITY : f.at + f.ttl * 1000;
}
