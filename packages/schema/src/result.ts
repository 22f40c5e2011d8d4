import { Type, type Static } from "@sinclair/typebox";
import { BanAddress } from "@honeymesh/ban/address";
import { Confidence } from "@honeymesh/ban/confidence";
import { Mode, WriteId } from "./control.ts";

/**
 * Why enforcerd refused a write: the one list of codes (apid maps them to HTTP, the CLI and the
 * dashboard show the detail that comes with them).
 */
export const REFUSALS = [
  "bad_address",
  "kind_mismatch",
  "no_reasons",
  "unknown_reason_bits",
  "ttl_too_long",
  "allowlisted",
  "tombstoned",
  "allow_protected",
  "allow_absent",
  "kernel_write",
  /** An automatic decision on the node's protected set (resolver, NTP server, mesh peer, live session); the detail names the entry and its source. */
  "protected",
  /** `[scan] syn_only = "observe"`: unverified evidence is counted, never banned on. */
  "observe_only",
] as const;
export type Refusal = (typeof REFUSALS)[number];

export const OUTCOMES = ["added", "extended", "unchanged", "kept", "removed", "refused", "applied"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A ban as a result names it: enough to say what now holds, without its evidence. */
export const BanState = Type.Object({
  address: BanAddress,
  reasons: Type.Integer({ minimum: 0, maximum: 127 }),
  expires_at: Type.Integer({ minimum: 0 }),
  origin: Type.String({ maxLength: 64 }),
  source: Type.String({ maxLength: 32 }),
  offence: Type.Integer({ minimum: 0 }),
  confidence: Confidence,
});
export type BanState = Static<typeof BanState>;

/**
 * enforcerd's answer to one write (`hm/v1/enforcerd/result`), by the write's `id`:
 * - ban: `added` | `extended` | `unchanged` | `refused`;
 * - unban: `removed` (it was banned), `kept` (only some reasons lifted; `ban` says what stays),
 *   `unchanged` (it was not banned); `covered_by` lists prefix bans that still drop the address;
 * - allow: `added` (with `ended`: the bans the entry covered, now lifted) | `removed` | `refused`;
 * - mode: `applied` with the mode now in force.
 */
export const WriteResult = Type.Object({
  id: WriteId,
  write: Type.Union([Type.Literal("decision"), Type.Literal("allow"), Type.Literal("mode")]),
  outcome: Type.Union(OUTCOMES.map((o) => Type.Literal(o))),
  refusal: Type.Optional(Type.Union(REFUSALS.map((r) => Type.Literal(r)))),
  /** One sentence for people: what happened, or why not. */
  detail: Type.String({ maxLength: 512 }),
  address: Type.Optional(BanAddress),
  ban: Type.Optional(BanState),
  covered_by: Type.Optional(Type.Array(BanState, { maxItems: 16 })),
  ended: Type.Optional(Type.Array(BanAddress, { maxItems: 64 })),
  ended_total: Type.Optional(Type.Integer({ minimum: 0 })),
  mode: Type.Optional(Mode),
  at: Type.Integer({ minimum: 0 }),
});
export type WriteResult = Static<typeof WriteResult>;

/** Results travel in batches (one signature for many; DESIGN §2), kept under the bus's size limit. */
export const WriteResultBatch = Type.Object({ results: Type.Array(WriteResult, { minItems: 1, maxItems: 128 }) });
export type WriteResultBatch = Static<typeof WriteResultBatch>;
