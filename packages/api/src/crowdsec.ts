import { Type, type Static } from "@sinclair/typebox";

/** A CrowdSec LAPI decision (what bouncers read), with Go duration text. */
export const CsDecision = Type.Object({
  id: Type.Integer(),
  uuid: Type.String(),
  origin: Type.String(),
  type: Type.Literal("ban"),
  scope: Type.Union([Type.Literal("Ip"), Type.Literal("Range")]),
  value: Type.String(),
  duration: Type.String({ description: "Go time.Duration text, e.g. 3h59m12.5s" }),
  scenario: Type.String(),
});
export type CsDecision = Static<typeof CsDecision>;

export const CsStream = Type.Object({ new: Type.Array(CsDecision), deleted: Type.Array(CsDecision) });
export type CsStream = Static<typeof CsStream>;

/** LAPI answers `null` when nothing applies to the address. */
export const CsLive = Type.Union([Type.Array(CsDecision), Type.Null()]);
