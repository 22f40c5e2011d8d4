import { Type, type Static } from "@sinclair/typebox";
import { BanAddress } from "@honeymesh/ban/address";
import { Evidence } from "@honeymesh/ban/evidence";
import { REASON_NAMES } from "@honeymesh/ban/reasons";
import { Confidence } from "@honeymesh/ban/confidence";
import { EnrichFields } from "./enrich.ts";
import { Page } from "./problem.ts";

export { BanAddress, Evidence };

/** A reason name of DESIGN §3 (the API shows names, never masks). */
export const ReasonName = Type.Union(REASON_NAMES.map((r) => Type.Literal(r)), { description: "a reason name of DESIGN §3" });
export type ReasonName = Static<typeof ReasonName>;

/** A ban as the API shows it (`GET /v1/bans`, `/v1/bans/{address}`, exports, explain). */
export const Ban = Type.Object(
  {
    address: BanAddress,
    reasons: Type.Array(ReasonName),
    expires_at: Type.Integer({ minimum: 0, description: "unix ms; 0 = permanent" }),
    created_at: Type.Integer({ minimum: 0, description: "unix ms" }),
    updated_at: Type.Integer({ minimum: 0, description: "unix ms" }),
    origin: Type.String({ description: "node id that decided it" }),
    source: Type.String({ description: "the detector or tool: scand, trapd, apid, meshd, fail2ban, …" }),
    offence: Type.Integer({ minimum: 0, description: "how many times this address has been banned" }),
    evidence: Type.Array(Evidence),
    confidence: Confidence,
    ...EnrichFields,
  },
  { additionalProperties: false },
);
export type Ban = Static<typeof Ban>;

export const BanPage = Page(Ban, "bans in address order");
export type BanPage = Static<typeof BanPage>;
