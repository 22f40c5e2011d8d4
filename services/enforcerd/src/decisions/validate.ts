import type { Decision } from "@honeymesh/schema/decision";
import { MAX_TTL_S } from "@honeymesh/schema/decision";
import { ALL_REASON_BITS } from "@honeymesh/schema/reasons";
import { formatTarget, parseTarget, type Target } from "@honeymesh/net/address";

export type DecisionReject = "bad_target" | "target_kind" | "no_reasons" | "unknown_reason_bits" | "ttl_too_long" | "allowlisted" | "tombstoned";

export type Validated = { ok: true; target: Target; value: string; ttlS: number } | { ok: false; reason: DecisionReject; detail: string };

/**
 * The meaning of a decision, beyond its schema: a real address or prefix (never /0), known
 * reason bits, a TTL within bounds. Non-operator TTLs are capped at `[bans] max_ttl_s`.
 */
export function validateDecision(d: Decision, maxTtlS: number): Validated {
  const t = parseTarget(d.value);
  if (!t.ok) return { ok: false, reason: "bad_target", detail: t.reason };
  if ((d.target === "ip") !== t.value.exact) return { ok: false, reason: "target_kind", detail: `${d.value} is not a${d.target === "ip" ? "n address" : " prefix"}` };
  if (d.action === "ban") {
    if (d.reasons === 0) return { ok: false, reason: "no_reasons", detail: "a ban needs at least one reason bit" };
    if ((d.reasons & ~ALL_REASON_BITS) !== 0) return { ok: false, reason: "unknown_reason_bits", detail: `reasons ${d.reasons} has bits outside ${ALL_REASON_BITS}` };
    if (d.ttl_s > MAX_TTL_S) return { ok: false, reason: "ttl_too_long", detail: `ttl_s ${d.ttl_s} exceeds ${MAX_TTL_S}` };
  }
  const operator = d.source === "apid";
  const ttlS = operator ? d.ttl_s : d.ttl_s === 0 ? maxTtlS : Math.min(d.ttl_s, maxTtlS);
  return { ok: true, target: t.value, value: formatTarget(t.value), ttlS };
}
