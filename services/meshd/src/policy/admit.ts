import { describeEvidence, evidence as item, type Evidence } from "@honeymesh/ban/evidence";
import { REASONS } from "@honeymesh/ban/reasons";
import { newWriteId, type Decision } from "@honeymesh/schema/decision";
import type { FactSet } from "../facts/fact-set.ts";
import { factExpiry, type Fact } from "../facts/fact.ts";
import type { MeshAllowlist } from "./allowlist.ts";
import { tooWide, type PrefixFloor } from "./prefix-floor.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { judge, type TrustMap } from "./trust.ts";

/** A fact more than this far in the future is a lie or a broken clock: refused either way. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type RejectReason = "oversized" | "malformed" | "bad_signature" | "wrong_cluster" | "forged" | "identity_mismatch" | "future" | "rate_limited" | "prefix_too_short";
export type IgnoreReason = "self" | "stale" | "superseded" | "expired" | "full" | "rate_limited";

export type Admission =
  | { result: "accept" }
  | { result: "reject"; reason: RejectReason }
  | { result: "ignore"; reason: IgnoreReason };

export interface AdmitContext {
  cluster: string;
  selfPeer: string;
  selfNode: string;
  /**
   * Where an origin's facts are kept: the trusted set for peers named in peer_trust, a small
   * separate one for everyone else, so unnamed or observe-level ids cannot crowd out a trusted ban.
   */
  setFor(originPeer: string): FactSet;
  limiter: RateLimiter;
  /** Prefix (CIDR) facts have their own, smaller per-origin budget: each one covers many addresses. */
  cidrLimiter: RateLimiter;
  minPrefix: PrefixFloor;
  /** Binds an origin peer to the node id it signs as (first seen wins). */
  bindNode(peer: string, node: string): boolean;
}

export interface Arrival {
  fact: Fact;
  wire: string;
  /** The peer that handed it to us. */
  source: string;
  /** For gossip: the author of the gossipsub message (StrictSign), which must be the origin. */
  author?: string;
  /**
   * Gossip is rate limited per origin. Anti-entropy is not (it replays a bounded set, and
   * the sync protocol limits its own requests), or a rejoining node could never catch up.
   */
  via: "gossip" | "sync";
}

/**
 * The checks between a verified envelope and the live set: cluster, authorship, identity,
 * clock, prefix width, per-origin rate limits, then the origin's set (stale and superseded facts stop here).
 * Over the rate, a fact is rejected (penalizing the sender) only when the sender is its origin;
 * an honest relay of someone else's flood is merely ignored.
 */
export function admit(ctx: AdmitContext, a: Arrival, now = Date.now()): Admission {
  const f = a.fact;
  if (f.c !== ctx.cluster) return { result: "reject", reason: "wrong_cluster" };
  if (a.author !== undefined && a.author !== f.p) return { result: "reject", reason: "forged" };
  if (f.p === ctx.selfPeer) return { result: "ignore", reason: "self" };
  if (f.o === ctx.selfNode) return { result: "reject", reason: "identity_mismatch" };
  if (!ctx.bindNode(f.p, f.o)) return { result: "reject", reason: "identity_mismatch" };
  if (f.at > now + MAX_CLOCK_SKEW_MS) return { result: "reject", reason: "future" };
  if (f.k === "ban" && f.r === 0) return { result: "reject", reason: "malformed" };
  if (tooWide(f.address, ctx.minPrefix)) return { result: "reject", reason: "prefix_too_short" };
  const overRate = a.via === "gossip" && (!ctx.limiter.take(f.p) || (f.address.kind === "cidr" && !ctx.cidrLimiter.take(f.p)));
  if (overRate) return a.source === f.p ? { result: "reject", reason: "rate_limited" } : { result: "ignore", reason: "rate_limited" };
  const outcome = ctx.setFor(f.p).ingest(f, a.wire, now);
  return outcome === "new" ? { result: "accept" } : { result: "ignore", reason: outcome };
}

export type Outcome = { decision: Decision } | { skipped: "allowlisted" | "observed" | "waiting" | "expired" };

export interface PolicyContext {
  cluster: string;
  trust: TrustMap;
  allow: MeshAllowlist;
  ttlCapS: number;
  /** The trusted set: corroboration counts the distinct named origins in it. */
  set: FactSet;
}

/**
 * What an admitted fact does here: the local allowlist, the origin's trust level, the TTL cap
 * (a remote ban is never permanent). Reasons keep the origin's bits and gain MESH. Under
 * `corroborate:k` bans and unbans alike wait for k distinct origins named in peer_trust.
 */
export function decide(ctx: PolicyContext, f: Fact, now = Date.now()): Outcome {
  const trust = ctx.trust.of(f.p);
  const named = (p: string) => ctx.trust.named(p);
  const evidence: Evidence[] = [item("mesh", `MESH: from ${f.o} (peer …${f.p.slice(-12)}) in cluster ${ctx.cluster}`), ...f.ev.map((e) => ({ ...e, summary: describeEvidence(e) }))].slice(0, 16);
  if (f.k === "unban") {
    // A full unban of the origin's own ban (reasons 0): enforcerd keeps bans of any other origin,
    // local and operator bans included. Its time is clamped to now: a tombstone from the future
    // would refuse bans decided after it arrived.
    const verdict = judge(trust, ctx.set.agreeing(f.address.text, named, now, "unban"));
    if (verdict === "observe") return { skipped: "observed" };
    if (verdict === "wait") return { skipped: "waiting" };
    return { decision: { id: newWriteId("meshd"), action: "unban", address: f.address, reasons: 0, ttl_s: 0, origin: f.o, source: "meshd", evidence, offence: 0, confidence: "verified", at: Math.min(f.at, now), scope: "global" } };
  }
  if (ctx.allow.covers(f.address.text)) return { skipped: "allowlisted" };
  const verdict = judge(trust, ctx.set.agreeing(f.address.text, named, now));
  if (verdict === "observe") return { skipped: "observed" };
  if (verdict === "wait") return { skipped: "waiting" };
  const end = Math.min(factExpiry(f), f.at + ctx.ttlCapS * 1000);
  const ttl = Math.ceil((end - now) / 1000);
  if (ttl <= 0) return { skipped: "expired" };
  return {
    decision: { id: newWriteId("meshd"), action: "ban", address: f.address, reasons: f.r | REASONS.MESH, ttl_s: Math.min(ttl, ctx.ttlCapS), origin: f.o, source: "meshd", evidence, offence: f.off, confidence: "verified", at: Math.min(f.at, now) },
  };
}
