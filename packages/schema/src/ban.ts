import { Type, type Static } from "@sinclair/typebox";
import { BanAddress } from "@honeymesh/ban/address";
import { EvidenceList } from "@honeymesh/ban/evidence";

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
  at: Type.Integer({ minimum: 0 }),
  /** For `removed`: a global unban propagates through the mesh, a local one stays here. */
  scope: Type.Optional(Type.Union([Type.Literal("global"), Type.Literal("local")])),
});
export type BanChange = Static<typeof BanChange>;
