import { createHash } from "node:crypto";

/**
 * A binary hash tree over a batch's items (RFC 6962 §2.1 style domain prefixes: 0x00 for a
 * leaf, 0x01 for an inner node, so a leaf can never pass for a node). An odd node at the end of
 * a level is carried up unchanged. One signature over the root covers every item; an item then
 * stays verifiable on its own with its log2(n) sibling hashes (anti-entropy serves it that way).
 */
export function leafHash(item: string): Buffer {
  return createHash("sha256").update(Buffer.from([0])).update(item).digest();
}

function node(l: Buffer, r: Buffer): Buffer {
  return createHash("sha256").update(Buffer.from([1])).update(l).update(r).digest();
}

/** Every level of the tree, leaves first, root last (n ≥ 1): each inner hash computed once. */
export function merkleLevels(leaves: readonly Buffer[]): Buffer[][] {
  const levels = [[...leaves]];
  for (let level = levels[0]!; level.length > 1; ) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? node(level[i]!, level[i + 1]!) : level[i]!);
    levels.push((level = up));
  }
  return levels;
}

/** The root over all leaves (n ≥ 1). */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  return merkleLevels(leaves).at(-1)![0]!;
}

/**
 * Sibling hashes from leaf `index` up to the root. Pass the tree's levels (merkleLevels) when
 * proving many items of one batch: a proof is then a lookup, not a rebuild of the tree.
 */
export function merkleProof(leaves: readonly Buffer[], index: number, levels = merkleLevels(leaves)): Buffer[] {
  const out: Buffer[] = [];
  let i = index;
  for (const level of levels.slice(0, -1)) {
    const sib = i % 2 === 1 ? i - 1 : i + 1;
    if (sib < level.length) out.push(level[sib]!);
    i >>= 1;
  }
  return out;
}

/** The root implied by a leaf, its index, the leaf count and its proof; undefined when the proof does not fit. */
export function rootFromProof(leaf: Buffer, index: number, count: number, proof: readonly Buffer[]): Buffer | undefined {
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count) return undefined;
  let h = leaf;
  let i = index;
  let size = count;
  let k = 0;
  while (size > 1) {
    if (i % 2 === 1) h = node(proof[k++] ?? Buffer.alloc(0), h);
    else if (i + 1 < size) h = node(h, proof[k++] ?? Buffer.alloc(0));
    i >>= 1;
    size = Math.ceil(size / 2);
  }
  return k === proof.length && proof.every((p) => p.length === 32) ? h : undefined;
}
