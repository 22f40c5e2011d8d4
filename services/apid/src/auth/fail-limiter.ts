import { isIP } from "node:net";

/** 127.0.0.0/8, ::1 and their IPv4-mapped form (RFC 4291 §2.5.5.2), and the local socket. */
export function isLoopback(source: string): boolean {
  if (source === "unix") return true;
  const s = source.startsWith("::ffff:") && isIP(source.slice(7)) === 4 ? source.slice(7) : source;
  return s === "::1" || (isIP(s) === 4 && s.startsWith("127."));
}

/**
 * Failed authentications per source address in fixed one-minute windows. Only failures are
 * counted and only failures are limited: the guard checks a credential before asking here, so a
 * valid token is never refused because others failed from the same address. Loopback gets its own,
 * larger budget (every local tool shares that one address). Bounded: when full, the oldest source
 * is forgotten (an attacker rotating addresses gains nothing over rotating tokens, and memory
 * stays flat).
 */
export class FailLimiter {
  private readonly sources = new Map<string, { windowStart: number; failures: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly maxSources = 10_000,
    private readonly loopbackPerMinute = perMinute,
  ) {}

  /** Seconds until the source may fail again, or 0 when it may now. */
  blockedFor(source: string, now = Date.now()): number {
    const s = this.sources.get(source);
    const budget = isLoopback(source) ? this.loopbackPerMinute : this.perMinute;
    if (!s || now - s.windowStart >= 60_000 || s.failures < budget) return 0;
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
