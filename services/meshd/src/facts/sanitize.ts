import type { BanChange } from "@honeymesh/schema/ban";
import { EVIDENCE_ITEM, type Fact } from "./fact.ts";

const SAFE = new RegExp(EVIDENCE_ITEM);

export interface Origin {
  cluster: string;
  nodeId: string;
  peerId: string;
}

/**
 * Keeps only evidence items that are plainly counters or labels (`ports:22,23,80`,
 * `trap:ssh`, `attempts=12`); anything else — payload excerpts, user names, passwords,
 * hostnames, addresses — is dropped. The reasons and offence count always travel.
 */
export function summarizeEvidence(items: readonly string[]): string[] {
  const kept = items.filter((e) => e.length <= 90 && SAFE.test(e)).slice(0, 6);
  return kept;
}

/** A local ban change as a shareable fact, or undefined when it is not ours to share. */
export function factFromBan(change: BanChange, shareMask: number, origin: Origin, tp: string | undefined, now = Date.now()): Fact | undefined {
  if (change.origin !== origin.nodeId) return undefined;
  const base = { v: 1 as const, c: origin.cluster, t: change.value.includes("/") ? ("cidr" as const) : ("ip" as const), val: change.value, o: origin.nodeId, p: origin.peerId, at: change.at, ...(tp ? { tp } : {}) };
  if (change.change === "removed") {
    if (change.scope === "local") return undefined;
    return { ...base, k: "unban", r: 0, ttl: 0, off: 0, ev: [] };
  }
  if (change.change !== "added" && change.change !== "extended") return undefined;
  const r = change.reasons & shareMask;
  if (r === 0) return undefined;
  // Remaining TTL from `at`, rounded up; a ban already over is not worth sharing.
  const ttl = change.expires_at === 0 ? 0 : Math.ceil((change.expires_at - change.at) / 1000);
  if (change.expires_at !== 0 && change.expires_at <= now) return undefined;
  return { ...base, k: "ban", r, ttl, off: Math.min(change.offence, 1_000_000), ev: summarizeEvidence(change.evidence) };
}
