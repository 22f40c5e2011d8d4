/**
 * Shannon entropy of a byte stream, H = -Σ p(b)·log2 p(b) over the 256 byte values, in bits per
 * byte (0 = one repeated byte, 8 = uniformly random). Kept as a running histogram so a session's
 * whole input is scored without keeping it.
 */
export class ByteHistogram {
  private readonly counts = new Float64Array(256);
  private total = 0;

  add(bytes: Uint8Array): void {
    const c = this.counts;
    for (let i = 0; i < bytes.length; i++) c[bytes[i]!]!++;
    this.total += bytes.length;
  }

  get size(): number {
    return this.total;
  }

  entropy(): number {
    if (this.total === 0) return 0;
    let h = 0;
    for (let i = 0; i < 256; i++) {
      const n = this.counts[i]!;
      if (n === 0) continue;
      const p = n / this.total;
      h -= p * Math.log2(p);
    }
    // Clamp float noise so the value always fits the schema's 0..8.
    return Math.min(8, Math.max(0, h));
  }
}

export function shannonEntropy(bytes: Uint8Array): number {
  const h = new ByteHistogram();
  h.add(bytes);
  return h.entropy();
}
