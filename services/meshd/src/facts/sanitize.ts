import type { Evidence } from "@honeymesh/ban/evidence";
import type { BanChange } from "@honeymesh/schema/ban";
import type { Fact, MeshEvidence } from "./fact.ts";

export interface Origin {
  cluster: string;
  nodeId: string;
  peerId: string;
}

/**
 * The shareable part of each evidence item: its kind, the ports, trap or jail it names, counts
 * and window. The summary (free text that may quote addresses or payload), user names and
 * passwords never leave the node; the reason the ban exists does. Mesh items from other peers
 * are not passed on (a node shares only what it saw itself).
 */
export function sanitizeEvidence(items: readonly Evidence[]): MeshEvidence[] {
  const out: MeshEvidence[] = [];
  for (const e of items) {
    if (e.kind === "mesh") continue;
    const m: MeshEvidence = { kind: e.kind };
    if (e.ports?.length) m.ports = e.ports.slice(0, 16);
    if (e.trap !== undefined) m.trap = e.trap;
    if (e.jail !== undefined) m.jail = e.jail;
    if (e.count !== undefined) m.count = e.count;
    if (e.window_s !== undefined) m.window_s = e.window_s;
    out.push(m);
    if (out.length >= 8) break;
  }
  return out;
}

/** A local ban change as a shareable fact, or undefined when it is not ours to share. */
export function factFromBan(change: BanChange, shareMask: number, origin: Origin, tp: string | undefined, now = Date.now()): Fact | undefined {
  if (change.origin !== origin.nodeId) return undefined;
  const base = { v: 2 as const, c: origin.cluster, address: change.address, o: origin.nodeId, p: origin.peerId, at: change.at, ...(tp ? { tp } : {}) };
  if (change.change === "removed") {
    if (change.scope === "local") return undefined;
    return { ...base, k: "unban", r: 0, ttl: 0, off: 0, ev: [] };
  }
  if (change.change !== "added" && change.change !== "extended") return undefined;
  // Unverified evidence (SYN-only, spoofable) is never shared (DESIGN §3): a spoofer could
  // otherwise get any address dropped across the whole mesh. Not shared at all rather than
  // flagged, so a peer running older code cannot mistake it for an enforceable ban.
  if (change.confidence !== "verified") return undefined;
  const r = change.reasons & shareMask;
  if (r === 0) return undefined;
  // Remaining TTL from `at`, rounded up; a ban already over is not worth sharing.
  const ttl = change.expires_at === 0 ? 0 : Math.ceil((change.expires_at - change.at) / 1000);
  if (change.expires_at !== 0 && change.expires_at <= now) return undefined;
  return { ...base, k: "ban", r, ttl, off: Math.min(change.offence, 1_000_000), ev: sanitizeEvidence(change.evidence) };
}
