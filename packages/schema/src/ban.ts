import { Type, type Static } from "@sinclair/typebox";
import { BanAddress } from "@honeymesh/ban/address";
import { EvidenceList } from "@honeymesh/ban/evidence";
import { Confidence } from "@honeymesh/ban/confidence";

/** A ban state change published by enforcerd, the only writer of ban state. */
export const BanChange = Type.Object({
  change: Type.Union([Type.Literal("added"), Type.Literal("extended"), Type.Literal("reduced"), Type.Literal("removed"), Type.Literal("expired")]),
  address: BanAddress,
  reasons: Type.Integer({ minimum: 0, maximum: 127 }),
  /** Unix ms; 0 = permanent. */
  expires_at: Type.Integer({ minimum: 0 }),
  origin: Type.String({ maxLength: 64 }),
  offence: Type.Integer({ minimum: 0 }),
  evidence: EvidenceList,
  /** What the ban rests on: unverified bans are short, local, never escalated or shared as enforceable. */
  confidence: Confidence,
  at: Type.Integer({ minimum: 0 }),
  /** For `removed`: a global unban propagates through the mesh, a local one stays here. */
  scope: Type.Optional(Type.Union([Type.Literal("global"), Type.Literal("local")])),
});
export type BanChange = Static<typeof BanChange>;
