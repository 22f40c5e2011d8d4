import { Type, type Static } from "@sinclair/typebox";
import { Confidence } from "@honeymesh/ban/confidence";
import { BanAddress } from "@honeymesh/ban/address";
import { Mode } from "@honeymesh/schema/control";
import { OUTCOMES } from "@honeymesh/schema/result";
import { REASON_NAMES } from "@honeymesh/ban/reasons";
import { MAX_TTL_S } from "@honeymesh/schema/decision";
import { ReasonName } from "./bans.ts";
import { COMMON_PROBLEMS, Problem } from "./problem.ts";

/** A ban as a write's answer names it: what now holds, without its evidence. */
export const NamedBan = Type.Object({
  address: BanAddress,
  reasons: Type.Array(ReasonName),
  expires_at: Type.Integer({ minimum: 0, description: "unix ms; 0 = permanent" }),
  origin: Type.String(),
  source: Type.String(),
  offence: Type.Integer({ minimum: 0 }),
  confidence: Confidence,
});
export type NamedBan = Static<typeof NamedBan>;

/**
 * enforcerd's typed result for a write, as the API answers it (services/apid/src/write/write-outcome.ts):
 * ban `added|extended|unchanged`; unban `removed|kept|unchanged` (`covered_by`: prefix bans that still
 * drop the address); allowlist `added` (with `ended`: the bans it lifted) `|removed`; mode `applied`.
 * A refusal is a problem (4xx/503) whose `reason` is the refusal code, never this body.
 */
export const WriteAnswer = Type.Object({
  outcome: Type.Union(OUTCOMES.filter((o) => o !== "refused").map((o) => Type.Literal(o))),
  detail: Type.String(),
  address: Type.Optional(BanAddress),
  ban: Type.Optional(NamedBan),
  covered_by: Type.Optional(Type.Array(NamedBan)),
  ended: Type.Optional(Type.Array(BanAddress)),
  ended_total: Type.Optional(Type.Integer({ minimum: 0 })),
  mode: Type.Optional(Mode),
});
export type WriteAnswer = Static<typeof WriteAnswer>;

/** 202: the write is on the bus, enforcerd has not confirmed it in time. */
export const PendingAnswer = Type.Object({
  outcome: Type.Literal("pending"),
  detail: Type.String(),
  address: Type.Optional(BanAddress),
  mode: Type.Optional(Mode),
});
export type PendingAnswer = Static<typeof PendingAnswer>;

/** What a write route may answer: the result, 201 for a new ban or entry, 202 while pending, or a problem. */
export const WRITE_RESPONSES = { 200: WriteAnswer, 201: WriteAnswer, 202: PendingAnswer, ...COMMON_PROBLEMS, 404: Problem, 409: Problem, 503: Problem } as const;

const ReasonArg = Type.Union(REASON_NAMES.map((r) => Type.Literal(r)), { description: "a reason name of DESIGN §3", error: `reason: expected one of ${REASON_NAMES.join(", ")}` });

/** Seconds a ban lasts; 0 = permanent. */
export const TtlS = Type.Integer({ minimum: 0, maximum: MAX_TTL_S, description: "seconds; 0 = permanent", error: `ttl_s: expected an integer 0..${MAX_TTL_S} (seconds, 0 = permanent)` });

/** `POST /v1/bans`: a manual (or EXTERNAL) decision. */
export const BanRequest = Type.Object(
  {
    address: Type.String({ minLength: 2, maxLength: 64, description: "IPv4/IPv6 address or CIDR" }),
    ttl_s: Type.Optional(TtlS),
    reason: Type.Optional(Type.Union([ReasonArg, Type.Array(ReasonArg, { minItems: 1, maxItems: 7 })])),
    /** Notes for the evidence (each becomes a MANUAL or EXTERNAL evidence item). */
    evidence: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 16, description: "notes; each becomes a MANUAL (or EXTERNAL) evidence item" })),
  },
  { additionalProperties: false },
);
export type BanRequest = Static<typeof BanRequest>;

/** `POST /v1/allowlist`. */
export const AllowRequest = Type.Object({ address: Type.String({ minLength: 2, maxLength: 64, description: "address or CIDR" }), note: Type.Optional(Type.String({ maxLength: 256 })), force: Type.Optional(Type.Boolean({ description: "allow an entry broader than [api] allow_min_prefix_v4 / _v6" })) }, { additionalProperties: false });
export type AllowRequest = Static<typeof AllowRequest>;
