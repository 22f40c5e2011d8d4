import { Type, type Static } from "@sinclair/typebox";
import { ALLOW_SOURCES } from "@honeymesh/ban/allowlist";

/** An allowlist entry with where it comes from; system and config entries cannot be removed at run time. */
export const AllowEntry = Type.Object({
  address: Type.String({ description: "address or CIDR, canonical" }),
  source: Type.Union(ALLOW_SOURCES.map((s) => Type.Literal(s)), {
    description: "system, config, operator: never dropped, by anyone; resolver, ntp, peer, session: the node's protected set, never touched by automatic decisions (session: never on unverified evidence), operators may still ban them",
  }),
  note: Type.String(),
  created_at: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: "unix ms; null for system and config entries" }),
});
export type AllowEntry = Static<typeof AllowEntry>;

export const AllowList = Type.Object({ items: Type.Array(AllowEntry) });
export type AllowList = Static<typeof AllowList>;

/** The enforcement mode in force, and who set it. */
export const ModeState = Type.Object({
  mode: Type.Union([Type.String(), Type.Null()], { description: "test, enforce or lockdown; null before enforcerd reported" }),
  source: Type.Union([Type.String(), Type.Null()]),
});
export type ModeState = Static<typeof ModeState>;
