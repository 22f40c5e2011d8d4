/** `[scan] syn_only`: what evidence that may be spoofed (SYN-only, UDP, ICMP) is allowed to do. */
export type SynOnly = "observe" | "local" | "ban";

export interface UnverifiedTerms {
  /** The TTL to apply (0 = permanent). */
  ttlS: number;
  /** Whether the ban counts as an offence (raising later TTLs). */
  counts: boolean;
  /** Refuse outright (`observe`). */
  refuse: boolean;
}

/**
 * The terms of an automatic ban on unverified evidence (DESIGN §3). enforcerd applies them even
 * though scand already does, as the single writer: a decision that says "unverified" never gets
 * more than the policy allows, whoever sent it.
 * - observe: no ban (scand counts the evidence);
 * - local (default): at most `unverified_ttl_s`, never counted as an offence (so never escalated);
 * - ban: as verified evidence would (today's behaviour before graded evidence).
 * meshd never shares unverified bans in any mode.
 */
export function unverifiedPolicy(p: { synOnly: SynOnly; ttlS: number } | undefined, ttlS: number): UnverifiedTerms {
  const synOnly = p?.synOnly ?? "local";
  const cap = p?.ttlS ?? 600;
  if (synOnly === "observe") return { ttlS: 0, counts: false, refuse: true };
  if (synOnly === "ban") return { ttlS, counts: true, refuse: false };
  return { ttlS: ttlS === 0 ? cap : Math.min(ttlS, cap), counts: false, refuse: false };
}
