import type { MetricsOf } from "@honeymesh/schema/metrics";

/** enforcerd's refusal counters per reason (its typed metrics), empty before the first report. */
export function refusalCounts(m: MetricsOf<"enforcerd"> | undefined): Record<string, number> {
  return { ...(m?.decisions.rejected ?? {}) };
}

/** The first reason whose count rose between two snapshots. */
export function newRefusal(before: Record<string, number>, after: Record<string, number>): string | undefined {
  return Object.keys(after).find((k) => (after[k] ?? 0) > (before[k] ?? 0) && k !== "kernel_write");
}

export const REFUSAL_TEXT: Record<string, string> = {
  bad_target: "enforcerd refused the target as malformed",
  target_kind: "the target kind does not match the value",
  no_reasons: "a ban needs at least one reason",
  unknown_reason_bits: "unknown reason bits",
  ttl_too_long: "the ttl exceeds the maximum",
  allowlisted: "the target is on the allowlist (loopback, this host's addresses, the gateway, [allow] cidrs or an operator entry)",
  tombstoned: "the target was unbanned after this decision was made",
};
