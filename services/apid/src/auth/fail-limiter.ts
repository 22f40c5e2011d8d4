/**
 * Failed authentications per source address in fixed one-minute windows. Bounded: when full,
 * the oldest source is forgotten (an attacker rotating addresses gains nothing over rotating
 * tokens, and memory stays flat).
 */
export class FailLimiter {
  private readonly sources = new Map<string, { windowStart: number; failures: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly maxSources = 10_000,
  ) {}

  /** Seconds until the source may try again, or 0 when it may now. */
  blockedFor(source: string, now = Date.now()): number {
    const s = this.sources.get(source);
    if (!s || now - s.windowStart >= 60_000 || s.failures < this.perMinute) return 0;
    return Math.ceil((s.windowStart + 60_000 - now) / 1000);
  }

  fail(source: string, now = Date.now()): void {
    let s = this.sources.get(source);
    if (!s || now - s.windowStart >= 60_000) {
      this.sources.delete(source);
      if (this.sources.size >= this.maxSources) this.sources.delete(this.sources.keys().next().value!);
      s = { windowStart: now, failures: 0 };
      this.sources.set(source, s);
    }
    s.failures++;
  }
}
