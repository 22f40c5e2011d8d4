import { expect, test } from "bun:test";
import { leafHash, merkleProof, merkleRoot, rootFromProof } from "./merkle.ts";

test("every leaf's proof leads to the root, for every batch size; a wrong leaf, index or proof does not", () => {
  for (let n = 1; n <= 17; n++) {
    const leaves = Array.from({ length: n }, (_, i) => leafHash(`item ${i}`));
    const root = merkleRoot(leaves);
    for (let i = 0; i < n; i++) {
      const proof = merkleProof(leaves, i);
      expect(rootFromProof(leaves[i]!, i, n, proof)?.equals(root)).toBe(true);
      expect(rootFromProof(leafHash("other"), i, n, proof)?.equals(root) ?? false).toBe(false);
      if (n > 1) expect(rootFromProof(leaves[i]!, (i + 1) % n, n, proof)?.equals(root) ?? false).toBe(false);
      if (proof.length > 0) expect(rootFromProof(leaves[i]!, i, n, proof.slice(1))).toBeUndefined();
    }
    expect(rootFromProof(leaves[0]!, n, n, [])).toBeUndefined();
  }
});
