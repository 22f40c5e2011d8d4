import { checkAddress, type BanAddress } from "@honeymesh/ban/address";
import { ALL_REASON_BITS } from "@honeymesh/ban/reasons";
import type { ParsedAddress } from "@honeymesh/net/address";
import { MAX_TTL_S, type Decision } from "@honeymesh/schema/decision";
import type { Refusal } from "@honeymesh/schema/result";

export type DecisionReject = Extract<Refusal, "bad_address" | "kind_mismatch" | "no_reasons" | "unknown_reason_bits" | "ttl_too_long" | "allowlisted" | "tombstoned" | "protected" | "observe_only">;

export type Validated = { ok: true; address: BanAddress; parsed: ParsedAddress; ttlS: number } | { ok: false; reason: DecisionReject; detail: string };

/**
 * The meaning of a decision, beyond its schema: a real address or prefix (never /0) of the kind
 * it claims, known reason bits, a TTL within bounds. Non-operator TTLs are capped at
 * `[bans] max_ttl_s`.
 */
export function validateDecision(d: Decision, maxTtlS: number): Validated {
  const c = checkAddress(d.address);
  if (!c.ok) return { ok: false, reason: c.code, detail: c.reason };
  if ((d.reasons & ~ALL_REASON_BITS) !== 0) return { ok: false, reason: "unknown_reason_bits", detail: `reasons ${d.reasons} has bits outside ${ALL_REASON_BITS}` };
  if (d.action === "ban") {
    if (d.reasons === 0) return { ok: false, reason: "no_reasons", detail: "a ban needs at least one reason" };
    if (d.ttl_s > MAX_TTL_S) return { ok: false, reason: "ttl_too_long", detail: `ttl_s ${d.ttl_s} exceeds ${MAX_TTL_S}` };
  }
  const operator = d.source === "apid";
  const ttlS = operator ? d.ttl_s : d.ttl_s === 0 ? maxTtlS : Math.min(d.ttl_s, maxTtlS);
  return { ok: true, address: c.address, parsed: c.parsed, ttlS };
}
