import { createHash } from "node:crypto";

/**
 * Hashed ranges for anti-entropy: every live-set key falls in one of RANGES buckets (by a hash
 * of the key), and each bucket has its own digest. A peer sends its bucket digests (≈ 0.6 kB);
 * the other answers only with the entries of the buckets that differ, so a node that missed a
 * few facts receives about those buckets, not the whole set.
 */
export const RANGES = 64;

export function rangeOf(key: string): number {
  // FNV-1a, 32 bit: spreads keys evenly; no adversary gains by skewing it (a bucket is only a unit of exchange).
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % RANGES;
}

/** Digests (12 hex characters each) of the buckets of `keyed` (key and decision time). */
export function rangeDigests(keyed: Iterable<[string, number]>): string[] {
  const buckets: string[][] = Array.from({ length: RANGES }, () => []);
  for (const [k, at] of keyed) buckets[rangeOf(k)]!.push(`${k}@${at}`);
  return buckets.map((b) => {
    if (b.length === 0) return "";
    const h = createHash("sha256");
    for (const line of b.sort()) h.update(`${line}\n`);
    return h.digest("hex").slice(0, 12);
  });
}

/** Bucket indexes where two digest lists differ (all when the other list is not well formed). */
export function differing(mine: readonly string[], theirs: unknown): Set<number> {
  const out = new Set<number>();
  const ok = Array.isArray(theirs) && theirs.length === RANGES && theirs.every((d) => typeof d === "string" && d.length <= 12);
  for (let i = 0; i < RANGES; i++) if (!ok || (theirs as string[])[i] !== mine[i]) out.add(i);
  return out;
}
