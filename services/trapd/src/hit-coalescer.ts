/**
 * At most one published hit per source and trap port per window: a scanner opening thousands
 * of connections a second is one piece of evidence for scand, not thousands of bus messages.
 * Every connection is still a session (stored and published); suppressed hits are counted.
 */
export class HitCoalescer {
  private readonly last = new Map<string, number>();
  suppressed = 0;

  constructor(
    private readonly windowMs: number,
    private readonly max = 100_000,
  ) {}

  admit(src: string, port: number, now: number): boolean {
    if (this.windowMs <= 0) return true;
    const key = `${src}|${port}`;
    const prev = this.last.get(key);
    if (prev !== undefined && now - prev < this.windowMs) {
      this.suppressed++;
      return false;
    }
    this.last.delete(key);
    if (this.last.size >= this.max) this.last.delete(this.last.keys().next().value as string);
    this.last.set(key, now);
    return true;
  }
}
