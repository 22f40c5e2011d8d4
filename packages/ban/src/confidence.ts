import { Type, type Static } from "@sinclair/typebox";

/**
 * How strongly the evidence behind a decision or ban ties it to the address (DESIGN §3).
 * `verified`: a completed TCP handshake or application data (trap hits and sessions — trapd only
 * sees accepted connections —, connect scans, log lines of real services, kernel-observed
 * established connections): the address really talked to us. `unverified`: SYN-only, UDP, ICMP,
 * anything whose source address can be spoofed (RFC 4987 §2: a SYN needs no return path).
 */
export const CONFIDENCES = ["verified", "unverified"] as const;
export const Confidence = Type.Union(CONFIDENCES.map((c) => Type.Literal(c)), { description: "verified: handshake or application data; unverified: spoofable (SYN-only, UDP, ICMP)" });
export type Confidence = Static<typeof Confidence>;

/** A decision mixing both is verified when any of its evidence is. */
export function combineConfidence(items: readonly Confidence[]): Confidence {
  return items.includes("verified") ? "verified" : "unverified";
}

/**
 * The graded merge of a live ban with a new decision for the same address (DESIGN §3), on top of
 * `mergeBan`: a verified decision upgrades an unverified ban (it gets the verified decision's
 * full expiry and reasons); an unverified decision changes nothing on a verified ban — it neither
 * extends nor adds reasons, so spoofed packets can never lengthen or widen a real ban; between
 * equals the usual rule holds (reasons stack, the later expiry wins). Returns what to merge, or
 * undefined when the incoming decision must leave the ban as it is.
 */
export function gradedMerge(live: Confidence, incoming: Confidence): { confidence: Confidence; merge: boolean } {
  if (live === "verified" && incoming === "unverified") return { confidence: "verified", merge: false };
  return { confidence: live === "verified" || incoming === "verified" ? "verified" : "unverified", merge: true };
}

/** One line for explanations: which class of evidence a ban rests on. */
export function describeConfidence(c: Confidence): string {
  return c === "verified" ? "verified evidence (completed handshake or application data)" : "unverified evidence only (SYN-only or otherwise spoofable): a short local ban, never escalated or shared";
}
