import { Type, type Static } from "@sinclair/typebox";
import { BanAddress } from "@honeymesh/ban/address";
import { Evidence } from "@honeymesh/ban/evidence";
import { AllowEntry } from "./allowlist.ts";
import { Ban } from "./bans.ts";
import { EnrichFields } from "./enrich.ts";
import { StoredSession } from "./events.ts";

/** `GET /v1/explain/{ip}`: what blocks this address, and why. */
export const Explanation = Type.Object({
  address: BanAddress,
  blocked: Type.Boolean({ description: "some live ban drops it and no allowlist entry spares it" }),
  bans: Type.Array(Ban, { description: "every live ban covering the address: its own and prefix bans containing it" }),
  allowlisted_by: Type.Array(Type.Pick(AllowEntry, ["address", "source"]), { description: "entries covering it (they win over every ban)" }),
  protected_by: Type.Array(Type.Pick(AllowEntry, ["address", "source"]), {
    description: "protected-set entries covering it (resolver, ntp, peer, session): automatic decisions do not touch it (session: not on unverified evidence); an operator still can",
  }),
  tombstone: Type.Union([Type.Object({ at: Type.Integer(), origin: Type.String() }), Type.Null()]),
  mesh_origins: Type.Array(Type.String(), { description: "other nodes its bans came from" }),
  evidence: Type.Array(Evidence),
  sessions: Type.Array(StoredSession, { description: "its most recent trap sessions" }),
  summary: Type.String(),
  ...EnrichFields,
});
export type Explanation = Static<typeof Explanation>;
