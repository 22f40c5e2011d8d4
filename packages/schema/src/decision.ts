import { Type, type Static } from "@sinclair/typebox";

/** Longest TTL a decision may carry: ten years. 0 means permanent. */
export const MAX_TTL_S = 315_360_000;

/**
 * A ban decision (DESIGN §3). The schema bounds only the shape; enforcerd validates the meaning
 * (address syntax, /0, reason bits, TTL cap) so that each refusal is counted under its own reason.
 */
export const Decision = Type.Object({
  action: Type.Union([Type.Literal("ban"), Type.Literal("unban")]),
  target: Type.Union([Type.Literal("ip"), Type.Literal("cidr")]),
  value: Type.String({ minLength: 2, maxLength: 64 }),
  reasons: Type.Integer({ minimum: 0, maximum: 0xffff_ffff }),
  ttl_s: Type.Integer({ minimum: 0, maximum: 0xffff_ffff }),
  origin: Type.String({ minLength: 1, maxLength: 64 }),
  source: Type.String({ minLength: 1, maxLength: 32 }),
  evidence: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 16 }),
  offence: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  /** Unix ms when the decision was made; tombstones compare against it. */
  at: Type.Integer({ minimum: 0 }),
  /** Unban scope: global (default) propagates through the mesh; local stays on this node. */
  scope: Type.Optional(Type.Union([Type.Literal("global"), Type.Literal("local")])),
});
export type Decision = Static<typeof Decision>;
