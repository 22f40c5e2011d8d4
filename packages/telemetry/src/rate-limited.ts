/**
 * Lets a message through once per cause per interval, and says how many were suppressed,
 * so a flood of hostile input cannot flood the logs. Bounded: at most `maxCauses` tracked.
 */
export class RateLimitedGate {
  private readonly last = new Map<string, { at: number; suppressed: number }>();
  constructor(
    private readonly intervalMs = 10_000,
    private readonly maxCauses = 256,
  ) {}

  /** Returns the number suppressed since the last pass, or undefined when this one is suppressed. */
  pass(cause: string, now = Date.now()): number | undefined {
    const entry = this.last.get(cause);
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return undefined;
    }
    if (!entry && this.last.size >= this.maxCauses) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    const suppressed = entry?.suppressed ?? 0;
    this.last.delete(cause);
    this.last.set(cause, { at: now, suppressed: 0 });
    return suppressed;
  }
}
