import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/**
 * One mesh fact: a ban or an unban tombstone, decided on its origin node. Only sanitized facts
 * travel (DESIGN §5): the target, reasons, TTL, origin, time and an evidence summary whose
 * items are counters and port lists — never payloads, credentials, hostnames or addresses.
 */
export const EVIDENCE_ITEM = "^([a-z_]{1,24}[:=][0-9][0-9,/-]{0,63}|(trap|proto|service|kind|detector)[:=][a-z0-9_]{1,24})$";

export const Fact = Type.Object(
  {
    v: Type.Literal(1),
    /** Cluster name: a fact is valid in exactly one cluster. */
    c: Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}$" }),
    k: Type.Union([Type.Literal("ban"), Type.Literal("unban")]),
    t: Type.Union([Type.Literal("ip"), Type.Literal("cidr")]),
    val: Type.String({ minLength: 2, maxLength: 64, pattern: "^[0-9a-fA-F:./]+$" }),
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
    ev: Type.Array(Type.String({ pattern: EVIDENCE_ITEM, maxLength: 90 }), { maxItems: 8 }),
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
