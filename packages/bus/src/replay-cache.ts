/**
 * Seen `jti`s until their `exp`. Bounded: past `max` entries the oldest is evicted (counted),
 * which is safe in practice because messages live only `message_ttl_s`.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  evicted = 0;
  constructor(private readonly max = 200_000) {}

  /** True when the jti is new (and remembers it), false when it is a replay. */
  admit(jti: string, expS: number, nowS: number): boolean {
    if (this.seen.has(jti)) return false;
    if (this.seen.size >= this.max) this.sweep(nowS);
    this.seen.set(jti, expS);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private sweep(nowS: number): void {
    // Map iterates in insertion order, roughly exp order: drop expired, then the oldest if still full.
    for (const [jti, exp] of this.seen) {
      if (exp >= nowS && this.seen.size < this.max) break;
      this.seen.delete(jti);
      if (exp >= nowS) this.evicted++;
    }
  }
}
